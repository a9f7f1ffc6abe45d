import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { AgentReport } from '@optralis/contracts';

import { type EncodedBody, encodeReport } from './encoded-body';
import { HttpReportSender } from './report-sender';
import { FakeIngest } from './testing/fake-ingest';

const TOKEN = 'opt_ing_abcdefgh_0123456789abcdef0123456789abcdef0123456789abcdef';

function report(seq: number, samples = 50): AgentReport {
  return {
    host: { id: 'host-1', name: 'web-01', tags: ['prod'] },
    seq,
    time: '2026-01-01T00:00:00.000Z',
    metrics: Array.from({ length: samples }, (_, index) => ({ name: `test.metric_${index}`, value: index })),
  };
}

const json = (value: AgentReport): EncodedBody => ({
  bytes: Buffer.from(JSON.stringify(value)),
  encoding: 'identity',
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(HttpReportSender.name, () => {
  let ingest: FakeIngest;
  let sut: HttpReportSender;

  beforeEach(async () => {
    ingest = await FakeIngest.start();
    sut = new HttpReportSender({ serverUrl: `${ingest.url}/`, token: TOKEN, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await ingest.close();
  });

  it('should post the compressed body as it is with the bearer token and count it delivered on 202', async () => {
    const body = await encodeReport(report(7));
    const outcome = await sut.send(body);
    expect(outcome).toEqual({ kind: 'delivered', accepted: 1, duplicates: 0 });
    const [received] = ingest.received;
    expect(received.report).toEqual(report(7));
    expect(received.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(received.wireBytes).toBe(body.bytes.length);
    expect(received.wireBytes).toBeLessThan(json(report(7)).bytes.length / 2);
    expect(await sut.send(body)).toEqual({ kind: 'delivered', accepted: 0, duplicates: 1 });
  });

  it('should send an uncompressed body, as spooled by earlier agents, without Content-Encoding', async () => {
    const body = json(report(1));
    await sut.send(body);
    expect(ingest.received[0].headers['content-encoding']).toBeUndefined();
    expect(ingest.received[0].wireBytes).toBe(body.bytes.length);
    expect(ingest.received[0].report.seq).toBe(1);
  });

  it('should keep a path prefix of the server URL', () => {
    expect(new HttpReportSender({ serverUrl: 'https://example.com/ingest/', token: TOKEN }).url).toBe(
      'https://example.com/ingest/v1/agent/reports',
    );
  });

  it('should reject the report with the problem detail when ingest answers 400, once', async () => {
    ingest.behaviour = () => ({
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify({
        title: 'Invalid metrics payload',
        detail: 'metrics.0.value: must be a finite number',
      }),
    });
    expect(await sut.send(json(report(1)))).toEqual({
      kind: 'rejected',
      status: 400,
      reason: 'HTTP 400: Invalid metrics payload: metrics.0.value: must be a finite number',
    });
    expect(ingest.received).toHaveLength(1);
  });

  it('should say unauthorized when ingest answers 401', async () => {
    ingest.behaviour = () => ({
      status: 401,
      body: JSON.stringify({ title: 'Unauthorized', detail: 'token revoked' }),
    });
    expect(await sut.send(json(report(1)))).toMatchObject({ kind: 'unauthorized', status: 401 });
  });

  it('should reject a report ingest finds too big (413)', async () => {
    ingest.behaviour = () => ({ status: 413 });
    expect(await sut.send(json(report(1)))).toMatchObject({ kind: 'rejected', status: 413 });
  });

  it('should retry after the time ingest gives with 429', async () => {
    ingest.behaviour = () => ({ status: 429, headers: { 'retry-after': '3' } });
    expect(await sut.send(json(report(1)))).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 3000 });
  });

  it('should retry after the time ingest gives with 503', async () => {
    ingest.behaviour = () => ({ status: 503, headers: { 'retry-after': '5' } });
    expect(await sut.send(json(report(1)))).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: 5000 });
  });

  it('should retry with its own backoff on 500', async () => {
    ingest.behaviour = () => ({ status: 500, body: 'boom' });
    const outcome = await sut.send(json(report(1)));
    expect(outcome).toEqual({ kind: 'retry', status: 500, reason: 'HTTP 500: boom' });
  });

  it('should give up after its timeout when ingest never answers', async () => {
    ingest.behaviour = () => 'hang';
    sut = new HttpReportSender({ serverUrl: ingest.url, token: TOKEN, timeoutMs: 200 });
    expect(await sut.send(json(report(1)))).toEqual({ kind: 'retry', reason: 'no answer within 200 ms' });
  });

  it('should retry when the connection is refused', async () => {
    sut = new HttpReportSender({ serverUrl: `http://127.0.0.1:${await freePort()}`, token: TOKEN });
    expect(await sut.send(json(report(1)))).toEqual({
      kind: 'retry',
      reason: expect.stringMatching(/^ECONNREFUSED/),
    });
  });

  it('should stop at once when the caller aborts', async () => {
    ingest.behaviour = () => 'hang';
    const controller = new AbortController();
    const sending = sut.send(json(report(1)), controller.signal);
    setImmediate(() => controller.abort());
    expect(await sending).toEqual({ kind: 'retry', reason: 'aborted' });
  });
});
