import { MetricsReport } from '@optralis/contracts';

import { IntakeError } from '../intake/intake.errors';
import { normaliseAgentReport } from './agent.format';
import type { NormaliseContext } from './normalise';

const context: NormaliseContext = {
  tenantId: 'default',
  receivedAt: new Date('2026-11-20T10:00:05.000Z'),
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};

function agentReport(overrides: Record<string, unknown> = {}) {
  return {
    host: { id: '4c4c4544-0031-3510-8052-b4c04f4d3232', name: 'web-01', tags: ['prod'] },
    seq: 1842,
    time: '2026-11-20T10:00:00.000Z',
    metrics: Array.from({ length: 50 }, (_, index) => ({
      name: `cpu.core${index}.usage_pct`,
      value: index + 0.5,
      ...(index % 2 === 0 ? { labels: { core: String(index) } } : {}),
    })),
    inventory: { os: 'Debian 12', kernel: '6.1.0', memory_bytes: 25_000_000_000 },
    ...overrides,
  };
}

function refusal(body: unknown): IntakeError {
  try {
    normaliseAgentReport(body, context);
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

describe(normaliseAgentReport.name, () => {
  it('should make one report identified by tenant, host and seq when the body is valid', () => {
    const { reports, dropped } = normaliseAgentReport(agentReport(), context);

    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report).toMatchObject({
      id: 'agent:default:4c4c4544-0031-3510-8052-b4c04f4d3232:1842',
      tenantId: 'default',
      hostId: '4c4c4544-0031-3510-8052-b4c04f4d3232',
      hostName: 'web-01',
      source: 'agent',
      seq: 1842,
      time: '2026-11-20T10:00:00.000Z',
      receivedAt: '2026-11-20T10:00:05.000Z',
      tags: ['prod'],
      inventory: { os: 'Debian 12', kernel: '6.1.0', memory_bytes: 25_000_000_000 },
    });
    expect(report.samples).toHaveLength(50);
    expect(report.samples[0]).toEqual({ name: 'cpu.core0.usage_pct', value: 0.5, labels: { core: '0' } });
    expect(MetricsReport.safeParse(report).success).toBe(true);
    expect(dropped).toEqual({ nonFinite: 0, invalidName: 0, unsupported: 0 });
  });

  it('should accept JSON text and bytes when the body is not parsed yet', () => {
    const text = JSON.stringify(agentReport());
    expect(normaliseAgentReport(text, context).reports[0]!.id).toMatch(/:1842$/);
    expect(normaliseAgentReport(Buffer.from(text), context).reports[0]!.id).toMatch(/:1842$/);
  });

  it('should give the same id when the same report is sent twice', () => {
    const first = normaliseAgentReport(agentReport(), context).reports[0]!;
    const second = normaliseAgentReport(agentReport(), { ...context, receivedAt: new Date() }).reports[0]!;
    expect(second.id).toBe(first.id);
  });

  it('should write the time in UTC with millisecond precision when the agent sends an offset', () => {
    const report = normaliseAgentReport(agentReport({ time: '2026-11-20T11:59:59.123456+02:00' }), context)
      .reports[0]!;
    expect(report.time).toBe('2026-11-20T09:59:59.123Z');
  });

  it('should name the value when a number overflowed to Infinity', () => {
    const body = JSON.parse(JSON.stringify(agentReport()).replace('"value":3.5', '"value":1e999'));
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.detail).toBe('metrics.3.value: must be a finite number');
    expect(error.extra).toEqual({ field: 'metrics.3.value' });
  });

  it.each([
    ['a host id with a dot', { host: { id: 'web-01.example.com', name: 'web' } }, 'host.id'],
    ['a host id with a wildcard', { host: { id: 'web*', name: 'web' } }, 'host.id'],
    ['a host id with a space', { host: { id: 'web 01', name: 'web' } }, 'host.id'],
    ['a negative seq', { seq: -1 }, 'seq'],
    ['a bad metric name', { metrics: [{ name: '9 lives', value: 1 }] }, 'metrics.0.name'],
    ['33 labels', { metrics: [{ name: 'm', value: 1, labels: labels(33) }] }, 'metrics.0.labels'],
    ['a time without zone', { time: '2026-11-20 10:00:00' }, 'time'],
  ])('should refuse %s naming the field', (_case, override, field) => {
    const error = refusal(agentReport(override));
    expect(error.extra.field).toBe(field);
    expect(error.detail.startsWith(`${field}: `)).toBe(true);
  });

  it('should refuse a time of 1970 or 2100 when it is outside the window', () => {
    expect(refusal(agentReport({ time: '1970-01-01T00:00:00Z' })).detail).toBe(
      'time: timestamp 1970-01-01T00:00:00.000Z is older than the retention of 7 days',
    );
    expect(refusal(agentReport({ time: '2100-01-01T00:00:00Z' })).detail).toMatch(
      /^time: .* too far in the future/,
    );
  });

  it.each([
    ['invalid JSON', '{"host": '],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
  ])('should refuse %s with a 400', (_case, body) => {
    expect(refusal(body).status).toBe(400);
  });

  it('should hash the id when tenant and host ids are too long for a readable one', () => {
    const host = { id: 'h'.repeat(128), name: 'h' };
    const report = normaliseAgentReport(agentReport({ host }), { ...context, tenantId: 't'.repeat(128) })
      .reports[0]!;
    expect(report.id).toMatch(/^agent:[0-9a-f]{64}$/);
    expect(MetricsReport.safeParse(report).success).toBe(true);
  });
});

function labels(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']));
}
