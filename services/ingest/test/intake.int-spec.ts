import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import { type MetricsReport, metricsSubject } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  TcpProxy,
  type TestDatabase,
} from '@optralis/testing';

import { IntakeModule } from '../src/intake/intake.module';
import { type IngestTestApp, startIngestTestApp, TokenAuthority } from './ingest-test-app';

function agentReport(hostId: string, seq = 1, overrides: Record<string, unknown> = {}) {
  return {
    host: { id: hostId, name: `name-${hostId}`, tags: ['prod'] },
    seq,
    time: new Date(Date.now() - 1000).toISOString(),
    metrics: [
      { name: 'cpu.usage_pct', value: 12.5 },
      { name: 'disk.used_pct', value: 71.2, labels: { mount: '/' } },
    ],
    ...overrides,
  };
}

describe('Intake (HTTP → JetStream)', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let ingest: IngestTestApp;
  let authority: TokenAuthority;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    authority = new TokenAuthority(nats.connection, nats.namespace).start();
    ingest = await startIngestTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [IntakeModule],
      env: { INGEST_MAX_BODY_BYTES: '200000', INGEST_MAX_DECOMPRESSED_BYTES: '1000000' },
    });
  });

  afterAll(async () => {
    await ingest?.close();
    authority?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  function post(
    path: string,
    token: string | undefined,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${ingest.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body,
    });
  }

  async function reportsOf(tenantId: string): Promise<MetricsReport[]> {
    const all = await nats.streamMessages<MetricsReport>('METRICS');
    return all.filter((report) => report.tenantId === tenantId);
  }

  it('should publish an agent report on its partition subject and answer 202 only after the ack', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const response = await post('/v1/agent/reports', token, JSON.stringify(agentReport('web-01', 7)));

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0 });
    const [report] = await reportsOf(tenantId);
    expect(report).toMatchObject({
      tenantId,
      hostId: 'web-01',
      hostName: 'name-web-01',
      source: 'agent',
      seq: 7,
    });
    expect(report.samples).toEqual([
      { name: 'cpu.usage_pct', value: 12.5 },
      { name: 'disk.used_pct', value: 71.2, labels: { mount: '/' } },
    ]);
    const messages = await nats.connection.jetstreamManager();
    const stored = await messages.streams.getMessage(nats.streamName('METRICS'), {
      last_by_subj: `${nats.namespace}.${metricsSubject({ tenantId, hostId: 'web-01' })}`,
    });
    expect(stored.header.get('Nats-Msg-Id')).toBe(report.id);
  });

  it('should store a report once when the agent sends the same (host.id, seq) twice', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const body = JSON.stringify(agentReport('db-01', 42));
    expect((await post('/v1/agent/reports', token, body)).status).toBe(202);
    const second = await post('/v1/agent/reports', token, body);

    expect(await second.json()).toEqual({ accepted: 1, duplicates: 1 });
    expect(await reportsOf(tenantId)).toHaveLength(1);
  });

  it('should put the data under the tenant of the token whatever the body claims', async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const tokenB = authority.issue(tenantB);
    const hostile = { ...agentReport('shared-host'), tenantId: tenantA };
    const response = await post('/v1/agent/reports', tokenB, JSON.stringify(hostile));

    expect(response.status).toBe(202);
    expect(await reportsOf(tenantA)).toHaveLength(0);
    expect(await reportsOf(tenantB)).toHaveLength(1);
  });

  it('should answer 401 problem+json without a token, with an unknown one, and with an API token', async () => {
    const tenantId = randomUUID();
    const apiToken = authority.issue(tenantId, 'api');
    const body = JSON.stringify(agentReport('h1'));
    for (const token of [undefined, 'opt_ing_zzzzzzzz_' + '0'.repeat(48), apiToken, 'x'.repeat(5000)]) {
      const response = await post('/v1/agent/reports', token, body);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
    expect(await reportsOf(tenantId)).toHaveLength(0);
  });

  it('should accept the Influx "Token" scheme and refuse a token once auth announces its revocation', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const line = `cpu,host=web-02 usage_user=1.5 ${Date.now()}`;
    const first = await post('/api/v2/write?precision=ms', undefined, line, {
      authorization: `Token ${token}`,
    });
    expect(first.status).toBe(204);

    authority.revoke(token);
    await expectEventually(async () => {
      const again = await post('/api/v2/write?precision=ms', token, line);
      expect(again.status).toBe(401);
    });
  });

  it('should take a gzip body and refuse a gzip bomb with 413 and broken gzip with 400', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const zipped = gzipSync(JSON.stringify(agentReport('gz-01')));
    const accepted = await post('/v1/agent/reports', token, zipped, { 'content-encoding': 'gzip' });
    expect(accepted.status).toBe(202);

    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200_000);
    const exploded = await post('/v1/agent/reports', token, bomb, { 'content-encoding': 'gzip' });
    expect(exploded.status).toBe(413);
    expect(await exploded.json()).toMatchObject({
      status: 413,
      detail: expect.stringContaining('decompresses'),
    });

    const broken = await post('/v1/agent/reports', token, Buffer.from('not gzip at all'), {
      'content-encoding': 'gzip',
    });
    expect(broken.status).toBe(400);
    const brotli = await post('/v1/agent/reports', token, zipped, { 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(await reportsOf(tenantId)).toHaveLength(1);
  });

  it('should answer 413 problem+json when the body is over the size limit', async () => {
    const token = authority.issue(randomUUID());
    const response = await post('/v1/agent/reports', token, 'x'.repeat(300_000));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('should answer 400 naming the field for malformed JSON, an overflowing value and a wildcard host id', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const malformed = await post('/v1/agent/reports', token, '{"host": ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { detail: string }).detail).toMatch(/JSON/);

    const overflow = JSON.stringify(agentReport('h2')).replace('12.5', '1e999');
    const infinite = await post('/v1/agent/reports', token, overflow);
    expect(infinite.status).toBe(400);
    expect(((await infinite.json()) as { detail: string }).detail).toMatch(/metrics\.0\.value/);

    const wildcard = await post('/v1/agent/reports', token, JSON.stringify(agentReport('a.*.>')));
    expect(wildcard.status).toBe(400);
    expect(((await wildcard.json()) as { detail: string }).detail).toMatch(/host\.id/);
    expect(await reportsOf(tenantId)).toHaveLength(0);
  });

  it('should answer 400 for a bad precision, a bad line and snappy garbage, and 415 for an unknown OTLP type', async () => {
    const token = authority.issue(randomUUID());
    const precision = await post('/api/v2/write?precision=hours', token, 'cpu,host=a v=1');
    expect(precision.status).toBe(400);
    const badLine = await post('/api/v2/write', token, 'cpu,host=a v=1\ncpu,host=a broken');
    expect(badLine.status).toBe(400);
    expect(await badLine.json()).toMatchObject({ line: 2 });
    const snappy = await post('/api/v1/write', token, Buffer.from('definitely not snappy'), {
      'content-type': 'application/x-protobuf',
    });
    expect(snappy.status).toBe(400);
    const otlp = await post('/v1/metrics', token, 'a=b', { 'content-type': 'text/plain' });
    expect(otlp.status).toBe(415);
  });
});

describe('Intake when its dependencies fail', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let authority: TokenAuthority;
  const apps: IngestTestApp[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    authority = new TokenAuthority(nats.connection, nats.namespace).start();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    authority?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  async function start(env: Record<string, string> = {}) {
    const app = await startIngestTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [IntakeModule],
      env,
    });
    apps.push(app);
    return app;
  }

  it('should answer 429 with Retry-After when a token goes over its rate', async () => {
    const app = await start({ INGEST_RATE_LIMIT_PER_TOKEN: '1' });
    const token = authority.issue(randomUUID());
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let seq = 1; seq <= 4; seq++) {
      const response = await fetch(`${app.url}/v1/agent/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(agentReport('rate-01', seq)),
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('should answer 503 with Retry-After while NATS is unreachable, then accept again once it is back', async () => {
    const proxy = new TcpProxy();
    proxies.push(proxy);
    const port = await proxy.start({ host: '127.0.0.1', port: 4222 });
    const app = await start({ NATS_URL: `nats://127.0.0.1:${port}` });
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const send = (seq: number) =>
      fetch(`${app.url}/v1/agent/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(agentReport('nats-01', seq)),
      });
    expect((await send(1)).status).toBe(202);

    await proxy.pause();
    await expectEventually(async () => {
      const response = await send(2);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    });
    await proxy.resume();
    await expectEventually(async () => expect((await send(3)).status).toBe(202), { timeoutMs: 15_000 });
  });

  it('should answer 503 when auth cannot be asked and never let the request through', async () => {
    authority.stop();
    const app = await start({ RPC_TIMEOUT_MS: '300' });
    const tenantId = randomUUID();
    const response = await fetch(`${app.url}/v1/agent/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${authority.issue(tenantId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(agentReport('auth-01')),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
  });
});
