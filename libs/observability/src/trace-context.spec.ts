import { currentTrace, runWithTrace, traceFromHeaders } from './trace-context';

function headers(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

describe(traceFromHeaders.name, () => {
  it('should take the trace id from traceparent when it is well formed', () => {
    const trace = traceFromHeaders(
      headers({
        traceparent: '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
        'x-request-id': 'abc',
      }),
    );

    expect(trace).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', requestId: 'abc' });
  });

  it('should fall back to x-trace-id when traceparent is malformed', () => {
    const trace = traceFromHeaders(headers({ traceparent: '00-zz-01', 'x-trace-id': 'nats-trace-1' }));

    expect(trace.traceId).toBe('nats-trace-1');
  });

  it('should generate both ids when no header is present', () => {
    const trace = traceFromHeaders(headers({}));

    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should replace ids when they carry characters a log or subject must not hold', () => {
    const trace = traceFromHeaders(
      headers({ traceparent: 'garbage', 'x-trace-id': 'a b', 'x-request-id': 'x'.repeat(129) }),
    );

    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe(runWithTrace.name, () => {
  it('should expose the context to asynchronous continuations when work runs under it', async () => {
    const seen = await runWithTrace({ traceId: 't1', requestId: 'r1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentTrace();
    });

    expect(seen).toEqual({ traceId: 't1', requestId: 'r1' });
    expect(currentTrace()).toBeUndefined();
  });
});
