import { randomUUID } from 'node:crypto';

import { expectEventually } from '@optralis/testing';

import { call, type Platform, startPlatform, type TenantFixture } from './gateway-test-app';

interface Host {
  id: string;
  name: string;
  description: string;
  tags: string[];
  status: string;
}

describe('Gateway fleet routes (real auth and ingest services)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ ingest: true });
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  /** Sends agent reports the way an agent does: an ingest token made through the gateway, then POST to ingest. */
  async function report(tenant: TenantFixture, name: string, values: number[] = [42.5]): Promise<string> {
    const created = await platform.gateway.call<{ token: string }>('POST', '/api/v1/ingest-tokens', {
      token: tenant.owner.accessToken,
      body: { name: `agent-${randomUUID().slice(0, 6)}` },
    });
    expect(created.status, created.text).toBe(201);
    const hostId = randomUUID();
    for (const [index, value] of values.entries()) {
      const sent = await call(platform.ingest!.url, 'POST', '/v1/agent/reports', {
        token: created.body.token,
        body: {
          host: { id: hostId, name, tags: ['prod'] },
          seq: index + 1,
          time: new Date(Date.now() - (values.length - index) * 60_000).toISOString(),
          metrics: [{ name: 'cpu.usage_pct', value }],
        },
      });
      expect(sent.status, sent.text).toBe(202);
    }
    return hostId;
  }

  async function hostsOf(token: string, query = ''): Promise<{ items: Host[]; nextCursor: string | null }> {
    const answer = await platform.gateway.call<{ items: Host[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/hosts${query}`,
      { token },
    );
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  }

  it('should list, show, describe and chart a tenant’s hosts when its agents report', async () => {
    const tenant = await platform.tenant();
    const hostId = await report(tenant, 'web-01', [40, 45]);
    await report(tenant, 'db-01');
    const token = tenant.owner.accessToken;

    const listed = await expectEventually(async () => {
      const page = await hostsOf(token);
      expect(page.items.map((host) => host.name).sort()).toEqual(['db-01', 'web-01']);
      return page;
    });
    expect(listed.nextCursor).toBeNull();
    expect((await hostsOf(token, '?q=web')).items.map((host) => host.id)).toEqual([hostId]);
    const firstPage = await hostsOf(token, '?limit=1');
    expect(firstPage.items).toHaveLength(1);
    const secondPage = await hostsOf(token, `?limit=1&cursor=${encodeURIComponent(firstPage.nextCursor!)}`);
    expect(secondPage.items[0].id).not.toBe(firstPage.items[0].id);

    const editor = await tenant.user('editor');
    const patched = await platform.gateway.call<Host>('PATCH', `/api/v1/hosts/${hostId}`, {
      token: editor.accessToken,
      body: { description: 'Web front, rack 4', tags: ['web'] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ description: 'Web front, rack 4' });
    expect(patched.body.tags).toEqual(expect.arrayContaining(['prod', 'web']));
    expect((await hostsOf(token, '?tag=web')).items.map((host) => host.id)).toEqual([hostId]);

    const detail = await platform.gateway.call('GET', `/api/v1/hosts/${hostId}`, {
      token: editor.accessToken,
    });
    expect(detail.body).toMatchObject({ id: hostId, metricNames: ['cpu.usage_pct'] });

    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const series = await expectEventually(async () => {
      const answer = await platform.gateway.call<{ series: { name: string; points: [string, number][] }[] }>(
        'GET',
        `/api/v1/hosts/${hostId}/metrics?name=cpu.usage_pct&from=${from}&step=30s`,
        { token },
      );
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.series[0]?.points).toHaveLength(2);
      return answer.body;
    });
    expect(series.series[0]).toMatchObject({ name: 'cpu.usage_pct', labels: {} });
    expect(series.series[0].points.map(([, value]) => value)).toEqual([40, 45]);
    expect(series.series[0].points[0][0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('should share a read between callers for GATEWAY_READ_CACHE_MS and forget it at the tenant’s next write', async () => {
    const tenant = await platform.tenant();
    const hostId = await report(tenant, 'cache-01');
    const token = tenant.owner.accessToken;
    const shown = () => platform.gateway.call<Host>('GET', `/api/v1/hosts/${hostId}`, { token });
    await expectEventually(async () => expect((await shown()).status).toBe(200));
    const observer = await tenant.user('observer');
    const ingestToken = await platform.gateway.call<{ token: string }>('POST', '/api/v1/ingest-tokens', {
      token,
      body: { name: `agent-${randomUUID().slice(0, 6)}` },
    });

    // A gateway that keeps reads for a minute: a change made behind its back (a new report's tags) is not
    // seen, a write through it is seen at once, and the answer carries the right JSON type.
    const sharing = await platform.startGateway({ GATEWAY_READ_CACHE_MS: '60000' });
    try {
      const before = await sharing.call<Host>('GET', `/api/v1/hosts/${hostId}`, { token });
      expect(before.status).toBe(200);
      expect(before.headers.get('content-type')).toMatch(/^application\/json/);
      const sent = await call(platform.ingest!.url, 'POST', '/v1/agent/reports', {
        token: ingestToken.body.token,
        body: {
          host: { id: hostId, name: 'cache-01', tags: ['prod', 'rack-9'] },
          seq: 99,
          time: new Date().toISOString(),
          metrics: [{ name: 'cpu.usage_pct', value: 1 }],
        },
      });
      expect(sent.status, sent.text).toBe(202);
      await expectEventually(async () => expect((await shown()).body.tags).toContain('rack-9'));
      expect((await sharing.call<Host>('GET', `/api/v1/hosts/${hostId}`, { token })).body).toEqual(
        before.body,
      );

      const patched = await sharing.call<Host>('PATCH', `/api/v1/hosts/${hostId}`, {
        token,
        body: { description: 'seen at once' },
      });
      expect(patched.status, patched.text).toBe(200);
      const after = await sharing.call<Host>('GET', `/api/v1/hosts/${hostId}`, {
        token: observer.accessToken,
      });
      expect(after.body).toMatchObject({ description: 'seen at once' });
      expect(after.body.tags).toContain('rack-9');
    } finally {
      await sharing.close();
    }
  });

  it('should never show a tenant another tenant’s hosts, answering 404 as for a missing one', async () => {
    const first = await platform.tenant();
    const second = await platform.tenant();
    const hostId = await report(first, 'secret-01');
    await expectEventually(async () =>
      expect((await hostsOf(first.owner.accessToken)).items).toHaveLength(1),
    );
    const apiToken = await platform.gateway.call<{ token: string }>('POST', '/api/v1/api-tokens', {
      token: second.owner.accessToken,
      body: { name: 'reader', role: 'admin', expiresAt: null },
    });

    for (const token of [second.owner.accessToken, apiToken.body.token]) {
      expect((await hostsOf(token)).items).toEqual([]);
      expect((await hostsOf(token, '?q=secret')).items).toEqual([]);
      const shown = await platform.gateway.call('GET', `/api/v1/hosts/${hostId}`, { token });
      expect(shown.status).toBe(404);
      expect(shown.body).toMatchObject({ code: 'host.not_found', title: 'Host not found' });
      const edited = await platform.gateway.call('PATCH', `/api/v1/hosts/${hostId}`, {
        token,
        body: { description: 'taken over' },
      });
      expect(edited.status).toBe(404);
      const charted = await platform.gateway.call(
        'GET',
        `/api/v1/hosts/${hostId}/metrics?name=cpu.usage_pct`,
        {
          token,
        },
      );
      expect(charted.status).toBe(404);
    }
    const own = await platform.gateway.call<Host>('GET', `/api/v1/hosts/${hostId}`, {
      token: first.owner.accessToken,
    });
    expect(own.body.description).toBe('');
  });

  it('should answer 400 for a bad step, an unknown filter or an empty edit, and the range error of ingest', async () => {
    const tenant = await platform.tenant();
    const token = tenant.owner.accessToken;
    const badStep = await platform.gateway.call('GET', '/api/v1/hosts/web-01/metrics?name=cpu&step=fast', {
      token,
    });
    expect(badStep.status).toBe(400);
    expect(badStep.body).toMatchObject({ errors: [expect.objectContaining({ in: 'query', path: 'step' })] });
    expect((await platform.gateway.call('GET', '/api/v1/hosts?colour=red', { token })).status).toBe(400);
    expect((await platform.gateway.call('GET', '/api/v1/hosts?status=sleeping', { token })).status).toBe(400);
    const empty = await platform.gateway.call('PATCH', '/api/v1/hosts/web-01', { token, body: {} });
    expect(empty.status).toBe(400);

    const hostId = await report(tenant, 'range-01');
    await expectEventually(async () => expect((await hostsOf(token)).items).toHaveLength(1));
    const backwards = await platform.gateway.call(
      'GET',
      `/api/v1/hosts/${hostId}/metrics?name=cpu.usage_pct&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
      { token },
    );
    expect(backwards.status, backwards.text).toBe(400);
    expect(backwards.body).toMatchObject({ code: 'metrics.invalid_range' });
  });
});
