import { randomBytes, randomUUID } from 'node:crypto';

import { RpcClient } from '@optralis/nats';
import {
  createTestDatabase,
  expectEventually,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

import type { PublicStatusPage } from '../src/status/public-status.schema';
import { call, expectReady, type Platform, startPlatform, type TenantFixture } from './gateway-test-app';

const HOSTILE_TITLE = 'Acme <script>alert("x")</script>';
const GROUPS = [
  { name: 'Website', tag: 'web' },
  { name: 'Database', tag: 'db' },
];

interface Settings {
  enabled: boolean;
  slug: string;
  url: string;
}

describe('Gateway public status page (real auth, ingest and alerting services)', () => {
  let platform: Platform;
  let alertingDatabase: TestDatabase;
  let alerting: ServiceProcess;
  let rpc: RpcClient;

  beforeAll(async () => {
    platform = await startPlatform({ ingest: true });
    // Alerting shares nothing with the others but NATS, so a database of its own will do.
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
      },
    });
    await expectReady(alerting);
    rpc = platform.gateway.app.get(RpcClient);
  }, 180_000);

  afterAll(async () => {
    await alerting?.stop();
    await platform?.close();
    await alertingDatabase?.drop();
  });

  const page = (path: string, headers: Record<string, string> = {}) =>
    platform.gateway.call('GET', path, { headers });

  async function configure(tenant: TenantFixture, body: Record<string, unknown>) {
    const answer = await platform.gateway.call<Settings>('PUT', '/api/v1/status-page', {
      token: tenant.owner.accessToken,
      body,
    });
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  }

  async function ingestToken(tenant: TenantFixture): Promise<string> {
    const created = await platform.gateway.call<{ token: string }>('POST', '/api/v1/ingest-tokens', {
      token: tenant.owner.accessToken,
      body: { name: `agent-${randomUUID().slice(0, 6)}` },
    });
    expect(created.status, created.text).toBe(201);
    return created.body.token;
  }

  async function report(token: string, host: { id: string; tags: string[] }, seq: number, cpu: number) {
    const sent = await call(platform.ingest!.url, 'POST', '/v1/agent/reports', {
      token,
      body: {
        host: { id: host.id, name: `${host.id}.internal`, tags: host.tags },
        seq,
        time: new Date().toISOString(),
        metrics: [{ name: 'cpu.usage_pct', value: cpu }],
      },
    });
    expect(sent.status, sent.text).toBe(202);
  }

  it('should show the public groups, a firing incident and the banner, and nothing private', async () => {
    const tenant = await platform.tenant();
    const settings = await configure(tenant, { enabled: true, title: HOSTILE_TITLE, groups: GROUPS });
    expect(settings).toMatchObject({
      enabled: true,
      slug: tenant.slug,
      url: `http://localhost:8080/status/${tenant.slug}`,
    });
    const actor = { userId: randomUUID(), tenantId: tenant.id, role: 'admin' as const };
    await rpc.call('rpc.alerting.rules.create', {
      actor,
      rule: {
        name: 'CPU saturated',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        critical: 90,
        scope: { hostIds: [], tags: ['web'] },
      },
    });
    const token = await ingestToken(tenant);
    await report(token, { id: 'web-02', tags: ['web'] }, 1, 12);
    await report(token, { id: 'db-01', tags: ['db'] }, 1, 8);
    let seq = 0;
    await expectEventually(
      async () => {
        await report(token, { id: 'web-01', tags: ['web'] }, ++seq, 97.25);
        const alerts = await rpc.call('rpc.alerting.alerts.list', { actor, open: true });
        expect(alerts.items.map((alert) => alert.state)).toContain('firing');
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    await expectEventually(async () =>
      expect((await rpc.call('rpc.ingest.hosts.list', { tenantId: tenant.id })).items).toHaveLength(3),
    );

    const json = await page(`/status/${tenant.slug}.json`);
    const html = await page(`/status/${tenant.slug}`, { accept: 'text/html' });

    expect(json.status, json.text).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    expect(json.headers.get('cache-control')).toBe('public, max-age=20');
    expect(json.body).toMatchObject({
      title: HOSTILE_TITLE,
      status: 'partial_outage',
      description: 'Partial outage',
      groups: [
        { name: 'Website', status: 'partial_outage', hosts: 2, online: 2, offline: 0 },
        { name: 'Database', status: 'operational', hosts: 1, online: 1, offline: 0 },
      ],
      incidents: {
        shown: true,
        available: true,
        truncated: false,
        items: [{ title: 'CPU saturated', severity: 'critical', state: 'firing', groups: ['Website'] }],
      },
    });
    expect((json.body as unknown as PublicStatusPage).groups[0].uptimePercent90d).toBeGreaterThan(0);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; /,
    );
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.text).toContain('<h1><bdi>Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</bdi></h1>');
    expect(html.text).toContain('Partial outage');
    for (const answer of [json.text, html.text]) {
      for (const secret of [
        'web-01',
        'db-01',
        '.internal',
        '97.25',
        'cpu.usage_pct',
        tenant.id,
        '"web"',
        '>web<',
      ]) {
        expect(answer).not.toContain(secret);
      }
    }
  });

  it('should answer 404 alike for an unknown slug, a malformed one and a page its admin disabled', async () => {
    const tenant = await platform.tenant();
    await configure(tenant, { enabled: true, groups: GROUPS });
    expect((await page(`/status/${tenant.slug}.json`)).status).toBe(200);

    await configure(tenant, { enabled: false, groups: GROUPS });
    const disabled = await page(`/status/${tenant.slug}.json`);
    const unknown = await page('/status/no-such-tenant.json');
    const malformed = await page('/status/%3Cscript%3E');
    const browser = await page('/status/no-such-tenant', { accept: 'text/html,application/xhtml+xml' });

    expect(disabled.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(disabled.body).toMatchObject({ code: 'not_found', detail: unknown.body.detail });
    expect(malformed.status).toBe(404);
    expect(browser.status).toBe(404);
    expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(browser.text).toContain('Status page not found');
  });

  it('should keep the settings to admins and document the public routes', async () => {
    const tenant = await platform.tenant();
    const editor = await tenant.user('editor');

    const anonymous = await platform.gateway.call('GET', '/api/v1/status-page');
    const refused = await platform.gateway.call('PUT', '/api/v1/status-page', {
      token: editor.accessToken,
      body: { enabled: true },
    });
    const invalid = await platform.gateway.call('PUT', '/api/v1/status-page', {
      token: tenant.owner.accessToken,
      body: { groups: Array.from({ length: 21 }, (_, index) => ({ name: `G${index}`, tag: `t${index}` })) },
    });
    const read = await platform.gateway.call('GET', '/api/v1/status-page', {
      token: tenant.owner.accessToken,
    });
    const document = await platform.gateway.call<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    }>('GET', '/api/openapi.json');

    expect(anonymous.status).toBe(401);
    expect(refused.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(read.body).toMatchObject({ enabled: false, groups: [], slug: tenant.slug });
    const paths = document.body.paths;
    expect(Object.keys(paths['/status/{tenantSlug}'].get.responses['200'].content ?? {})).toEqual([
      'text/html',
    ]);
    expect(paths['/status/{tenantSlug}.json'].get.responses['200'].content).toHaveProperty(
      'application/json',
    );
    expect(paths['/api/v1/status-page']).toHaveProperty('put');
  });

  it('should refuse a client that keeps asking with 429 and Retry-After', async () => {
    const gateway = await platform.startGateway();
    const statuses: number[] = [];
    for (let index = 0; index < 80; index++) {
      statuses.push((await gateway.call('GET', '/status/no-such-tenant.json')).status);
    }

    expect(statuses.slice(0, 60).every((status) => status === 404)).toBe(true);
    expect(statuses).toContain(429);
    const refused = await gateway.call('GET', '/status/no-such-tenant.json');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
