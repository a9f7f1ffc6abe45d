import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

import { call, expectReady, ROOT, startAuthProcess } from './gateway-test-app';

type LogLine = Record<string, unknown> & { msg?: string; request_id?: string };

describe('Gateway access log and metrics (built gateway as a process)', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    const env = { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: nats.namespace, DATABASE_URL: database.url };
    processes.push(await startAuthProcess({ ...env, LOG_LEVEL: 'warn' }));
    gateway = await startServiceProcess({ service: 'gateway', portVariable: 'GATEWAY_PORT', env });
    processes.push(gateway);
    for (const child of processes) await expectReady(child);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await nats?.cleanup();
    await database?.drop();
  });

  function accessLine(requestId: string): LogLine | undefined {
    return gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .find((line) => line.msg === 'request completed' && line.request_id === requestId);
  }

  it('should log request id, tenant, user, route, status and latency on one line per request', async () => {
    const session = await expectEventually(
      async () => {
        const answer = await call<{ accessToken: string; tenant: { id: string }; user: { id: string } }>(
          gateway.url,
          'POST',
          '/api/v1/auth/login',
          { body: ROOT },
        );
        expect(answer.status, answer.text).toBe(200);
        return answer.body;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const me = await call(gateway.url, 'GET', '/api/v1/me', {
      token: session.accessToken,
      headers: { 'x-request-id': 'access-log-me' },
    });
    const refused = await call(gateway.url, 'GET', '/api/v1/users/not-a-uuid', {
      headers: { 'x-request-id': 'access-log-refused' },
    });

    expect(me.status).toBe(200);
    expect(refused.status).toBe(401);
    const line = await expectEventually(() => {
      const found = accessLine('access-log-me');
      expect(found, gateway.output().slice(-3000)).toBeDefined();
      return found!;
    });
    expect(line).toMatchObject({
      level: 'info',
      route: '/api/v1/me',
      tenant_id: session.tenant.id,
      user_id: session.user.id,
      credential: 'session',
      res: expect.objectContaining({ statusCode: 200 }),
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toContain(session.accessToken);
    await expectEventually(() =>
      expect(accessLine('access-log-refused')).toMatchObject({
        level: 'warn',
        route: '/api/v1/users/:id',
        res: expect.objectContaining({ statusCode: 401 }),
      }),
    );
  });

  it('should count each route template with its method and status on /metrics', async () => {
    const metrics = await getJson(`${gateway.url}/metrics`);

    expect(metrics.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/api\/v1\/users\/:id"[^}]*status_code="401"/,
    );
    expect(metrics.text).toMatch(/gateway_downstream_duration_seconds_count\{service="auth",method="login"/);
  });
});
