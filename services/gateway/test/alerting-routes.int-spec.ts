import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

import { expectReady, type Platform, startPlatform, type TenantFixture } from './gateway-test-app';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = 'webhook-shared-secret-0123456789';
const CPU_HIGH = {
  name: 'cpu high',
  kind: 'threshold',
  metric: 'cpu.usage_pct',
  operator: '>',
  warning: 80,
  critical: 90,
  forSeconds: 0,
  scope: { hostIds: [], tags: [] },
  channelIds: [] as string[],
};

/** A webhook endpoint on loopback that records what it receives. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

describe('Gateway alerting routes (real auth and alerting services)', () => {
  let platform: Platform;
  let alerting: ServiceProcess;
  let alertingDatabase: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    platform = await startPlatform();
    alertingDatabase = await createTestDatabase();
    alerting = await startServiceProcess({
      service: 'alerting',
      portVariable: 'ALERTING_PORT',
      env: {
        NATS_URL: TEST_NATS_URL,
        NATS_NAMESPACE: platform.nats.namespace,
        DATABASE_URL: alertingDatabase.url,
        LOG_LEVEL: 'warn',
        ALERTING_SECRET_KEY: randomBytes(32).toString('base64'),
        OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
      },
    });
    await expectReady(alerting);
    receiver = await startReceiver();
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
    await alerting?.stop();
    await platform?.close();
    await alertingDatabase?.drop();
  });

  const api = <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    platform.gateway.call<T>(method, `/api/v1${path}`, { token, body });

  async function webhookChannel(tenant: TenantFixture, token = tenant.owner.accessToken) {
    const created = await api<{ id: string; config: Record<string, unknown> }>('POST', '/channels', token, {
      name: 'ops',
      type: 'webhook',
      config: { url: receiver.url, secret: SECRET },
    });
    expect(created.status, created.text).toBe(201);
    return created;
  }

  it('should create a webhook channel without ever answering its secret', async () => {
    const tenant = await platform.tenant();
    const editor = await tenant.user('editor');
    const created = await webhookChannel(tenant, editor.accessToken);
    expect(created.body).toMatchObject({ name: 'ops', type: 'webhook', config: { url: receiver.url } });
    expect(created.text).not.toContain(SECRET);

    for (const path of [`/channels/${created.body.id}`, '/channels', '/channels?type=webhook']) {
      const read = await api('GET', path, editor.accessToken);
      expect(read.status, read.text).toBe(200);
      expect(read.text).toContain(created.body.id);
      expect(read.text).not.toContain(SECRET);
    }

    const renamed = await api('PATCH', `/channels/${created.body.id}`, editor.accessToken, { name: 'ops-2' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'ops-2', config: { url: receiver.url } });
    expect(renamed.text).not.toContain(SECRET);
  });

  it('should send a signed test notification to a loopback receiver when asked', async () => {
    const tenant = await platform.tenant();
    const channel = await webhookChannel(tenant);
    const before = receiver.received.length;

    const tested = await api('POST', `/channels/${channel.body.id}/test`, tenant.owner.accessToken);
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({ delivered: true, statusCode: 200, error: null });

    const request = receiver.received[before];
    expect(request, 'the receiver got the test').toBeDefined();
    const timestamp = String(request.headers['x-optralis-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex');
    expect(request.headers['x-optralis-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(request.body)).toMatchObject({ type: 'test' });

    const deliveries = await api<{ items: unknown[] }>(
      'GET',
      `/channels/${channel.body.id}/deliveries`,
      tenant.owner.accessToken,
    );
    expect(deliveries.status, deliveries.text).toBe(200);
    expect((await api('GET', '/deliveries?status=failed', tenant.owner.accessToken)).status).toBe(200);
  });

  it('should create, list, show, change and delete a threshold rule as CONTRACT.md writes it', async () => {
    const tenant = await platform.tenant();
    const editor = await tenant.user('editor');
    const channel = await webhookChannel(tenant);
    const body = { ...CPU_HIGH, channelIds: [channel.body.id] };

    const created = await api<{ id: string }>('POST', '/alert-rules', editor.accessToken, body);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ ...body, enabled: true, description: '', clear: null });
    const id = created.body.id;
    await api('POST', '/alert-rules', editor.accessToken, { ...body, name: 'cpu higher' });

    const firstPage = await api<{ items: { id: string }[]; nextCursor: string | null }>(
      'GET',
      '/alert-rules?limit=1',
      editor.accessToken,
    );
    expect(firstPage.status, firstPage.text).toBe(200);
    expect(firstPage.body.items).toHaveLength(1);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    const secondPage = await api<{ items: { id: string }[] }>(
      'GET',
      `/alert-rules?limit=1&cursor=${encodeURIComponent(firstPage.body.nextCursor!)}`,
      editor.accessToken,
    );
    expect(secondPage.body.items[0]?.id).not.toBe(firstPage.body.items[0].id);

    expect((await api('GET', `/alert-rules/${id}`, editor.accessToken)).body).toMatchObject({
      id,
      warning: 80,
    });
    const patched = await api('PATCH', `/alert-rules/${id}`, editor.accessToken, { warning: 85 });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ id, warning: 85, critical: 90, channelIds: [channel.body.id] });

    const inUse = await api('DELETE', `/channels/${channel.body.id}`, editor.accessToken);
    expect(inUse.status, inUse.text).toBe(409);

    const deleted = await api('DELETE', `/alert-rules/${id}`, editor.accessToken);
    expect(deleted.status, deleted.text).toBe(204);
    const gone = await api('GET', `/alert-rules/${id}`, editor.accessToken);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: 'rule.not_found' });
  });

  it('should refuse a rule whose warning is above its critical level for ">" and name the field', async () => {
    const tenant = await platform.tenant();
    const refused = await api<{ errors: { path: string }[] }>(
      'POST',
      '/alert-rules',
      tenant.owner.accessToken,
      {
        ...CPU_HIGH,
        warning: 95,
      },
    );
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.errors.map((error) => error.path)).toContain('warning');

    const created = await api<{ id: string }>('POST', '/alert-rules', tenant.owner.accessToken, CPU_HIGH);
    const patched = await api('PATCH', `/alert-rules/${created.body.id}`, tenant.owner.accessToken, {
      critical: 70,
    });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.body).toMatchObject({ code: 'invalid_request' });
    const unknown = await api('PATCH', `/alert-rules/${created.body.id}`, tenant.owner.accessToken, {
      kind: 'anomaly',
    });
    expect(unknown.status, unknown.text).toBe(400);
  });

  it('should let observers read but not write, and hide another tenant’s rules as missing', async () => {
    const tenant = await platform.tenant();
    const observer = await tenant.user('observer');
    const created = await api<{ id: string }>('POST', '/alert-rules', tenant.owner.accessToken, CPU_HIGH);
    expect(created.status, created.text).toBe(201);

    expect((await api('GET', `/alert-rules/${created.body.id}`, observer.accessToken)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/alert-rules', CPU_HIGH],
      ['PATCH', `/alert-rules/${created.body.id}`, { enabled: false }],
      ['DELETE', `/alert-rules/${created.body.id}`, undefined],
      ['POST', '/channels', { name: 'ops', type: 'webhook', config: { url: receiver.url, secret: SECRET } }],
      ['POST', `/alerts/${randomUUID()}/ack`, {}],
      ['PUT', '/alerting-settings', { flapping: { windowSeconds: 600, maxTransitions: 6 } }],
    ] as const) {
      const answer = await api(method, path, observer.accessToken, body);
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
    }

    const other = await platform.tenant();
    for (const method of ['GET', 'DELETE']) {
      const answer = await api(method, `/alert-rules/${created.body.id}`, other.owner.accessToken);
      expect(answer.status, `${method}: ${answer.text}`).toBe(404);
    }
    const patched = await api('PATCH', `/alert-rules/${created.body.id}`, other.owner.accessToken, {
      enabled: false,
    });
    expect(patched.status).toBe(404);
    expect(
      (await api('GET', `/alert-rules/${created.body.id}`, tenant.owner.accessToken)).body,
    ).toMatchObject({
      enabled: true,
    });
  });

  it('should answer 400 for ids that are not UUIDs, path traversal included', async () => {
    const tenant = await platform.tenant();
    for (const path of [
      '/alert-rules/..%2F..%2Fetc%2Fpasswd',
      '/channels/%2E%2E',
      '/alerts/not-an-id',
      '/maintenance-windows/x*y',
      '/escalation-policies/1',
    ]) {
      const answer = await api('GET', path, tenant.owner.accessToken);
      expect(answer.status, `${path}: ${answer.text}`).toBe(400);
    }
  });

  it('should keep maintenance windows and refuse an RRULE that is not one', async () => {
    const tenant = await platform.tenant();
    const window = {
      name: 'Sunday patching',
      startsAt: '2026-11-22T02:00:00Z',
      durationMinutes: 120,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      timezone: 'Europe/Paris',
    };
    const refused = await api('POST', '/maintenance-windows', tenant.owner.accessToken, {
      ...window,
      rrule: 'EVERY SUNDAY PLEASE',
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('rrule') });

    const created = await api<{ id: string }>(
      'POST',
      '/maintenance-windows',
      tenant.owner.accessToken,
      window,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=SU', nextOccurrence: expect.any(Object) });
    const patched = await api('PATCH', `/maintenance-windows/${created.body.id}`, tenant.owner.accessToken, {
      durationMinutes: 90,
    });
    expect(patched.body).toMatchObject({ durationMinutes: 90, rrule: 'FREQ=WEEKLY;BYDAY=SU' });
    const listed = await api<{ items: unknown[] }>('GET', '/maintenance-windows', tenant.owner.accessToken);
    expect(listed.body.items).toHaveLength(1);
    expect(
      (await api('DELETE', `/maintenance-windows/${created.body.id}`, tenant.owner.accessToken)).status,
    ).toBe(204);
  });

  it('should keep escalation policies over the tenant’s channels', async () => {
    const tenant = await platform.tenant();
    const channel = await webhookChannel(tenant);
    const created = await api<{ id: string }>('POST', '/escalation-policies', tenant.owner.accessToken, {
      name: 'on-call',
      steps: [{ afterMinutes: 0, channelIds: [channel.body.id] }],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ repeat: 0, steps: [{ afterMinutes: 0 }] });
    const patched = await api('PATCH', `/escalation-policies/${created.body.id}`, tenant.owner.accessToken, {
      repeat: 2,
    });
    expect(patched.body).toMatchObject({ repeat: 2, name: 'on-call' });
    const listed = await api<{ items: unknown[] }>('GET', '/escalation-policies', tenant.owner.accessToken);
    expect(listed.body.items).toHaveLength(1);
  });

  it('should list no alerts for a new tenant and answer 404 for an unknown one', async () => {
    const tenant = await platform.tenant();
    const listed = await api('GET', '/alerts?open=true&severity=critical', tenant.owner.accessToken);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toEqual({ items: [], nextCursor: null });
    expect((await api('GET', `/alerts/${randomUUID()}`, tenant.owner.accessToken)).status).toBe(404);
    const ack = await api('POST', `/alerts/${randomUUID()}/ack`, tenant.owner.accessToken, { note: 'mine' });
    expect(ack.status, ack.text).toBe(404);
  });

  it('should show settings to observers and let only admins change them', async () => {
    const tenant = await platform.tenant();
    const observer = await tenant.user('observer');
    const editor = await tenant.user('editor');
    const read = await api('GET', '/alerting-settings', observer.accessToken);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ smtp: null, anomaly: { zWarning: 2, zCritical: 3 } });

    const change = { anomaly: { zWarning: 2.5, zCritical: 4 } };
    expect((await api('PUT', '/alerting-settings', editor.accessToken, change)).status).toBe(403);
    const changed = await api('PUT', '/alerting-settings', tenant.owner.accessToken, {
      ...change,
      smtp: { host: 'smtp.example.com', from: 'alerts@example.com', password: 'smtp-password-1' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ anomaly: { zWarning: 2.5 }, smtp: { passwordSet: true } });
    expect(changed.text).not.toContain('smtp-password-1');
  });
});
