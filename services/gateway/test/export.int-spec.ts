import { randomUUID } from 'node:crypto';

import { expectEventually } from '@optralis/testing';

import { ingestToken, parseCsv, postReport, promtoolCheck } from './export-fixtures';
import type { Answer, Gateway, Platform, TenantFixture } from './gateway-test-app';
import { startPlatform } from './gateway-test-app';

const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const HOSTILE_VALUE = 'say "hi"\nback\\slash';

describe('Gateway exports (real auth and ingest services)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ ingest: true });
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  async function report(
    tenant: TenantFixture,
    host: { name: string; tags?: string[] },
    metrics: { name: string; value: number; labels?: Record<string, string> }[],
  ): Promise<string> {
    return postReport({
      ingestUrl: platform.ingest!.url,
      ingestToken: await ingestToken(platform.gateway, tenant.owner.accessToken),
      host,
      metrics,
    });
  }

  function exportOf(token?: string, gateway: Gateway = platform.gateway): Promise<Answer> {
    return gateway.call('GET', '/api/v1/export/prometheus', token ? { token } : {});
  }

  /** The export once it holds `samples` samples of the host (ingest stores reports asynchronously). */
  async function settledExport(token: string, hostId: string, samples: number): Promise<string> {
    return expectEventually(async () => {
      const answer = await exportOf(token);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.text.split('\n').filter((line) => line.includes(`host="${hostId}"`))).toHaveLength(
        samples,
      );
      return answer.text;
    });
  }

  it('should export hostile names and labels as text promtool accepts, with tenant and host labels', async () => {
    const tenant = await platform.tenant();
    const hostId = await report(tenant, { name: 'web "01"' }, [
      { name: 'cpu.usage-pct', value: 12.5 },
      { name: 'cpu.usage_pct', value: 13.5 },
      { name: 'disk.used_pct', value: 71.2, labels: { mount: '/', __name__: 'sneaky' } },
      { name: 'app.requests', value: 3, labels: { note: HOSTILE_VALUE, 'bad-key.x': 'v' } },
    ]);
    // cpu.usage-pct and cpu.usage_pct are one Prometheus series: the export keeps one of them.
    const text = await settledExport(tenant.owner.accessToken, hostId, 3);

    const check = promtoolCheck(text);
    expect(check.status, `${check.output}\n${text}`).toBe(0);
    expect(text).toContain('# TYPE cpu_usage_pct gauge');
    expect(text.match(/^cpu_usage_pct\{/gm)).toHaveLength(1);
    expect(text).toMatch(/^cpu_usage_pct\{[^}]*\} 1[23]\.5 \d+$/m);
    expect(text).toMatch(
      new RegExp(
        `^disk_used_pct\\{exported___name__="sneaky",host="${hostId}",host_name="web \\\\"01\\\\"",mount="/",tenant="${tenant.id}"\\} 71\\.2 \\d+$`,
        'm',
      ),
    );
    expect(text).toContain('note="say \\"hi\\"\\nback\\\\slash"');
    expect(text).toContain('bad_key_x="v"');
    expect(text).not.toMatch(/[{,]__name__=/);
  });

  it('should answer with the Prometheus content type to an observer and 401 without a token', async () => {
    const tenant = await platform.tenant();
    const hostId = await report(tenant, { name: 'obs-01' }, [{ name: 'load.1m', value: 0.5 }]);
    await settledExport(tenant.owner.accessToken, hostId, 1);
    const observer = await tenant.user('observer');

    const answer = await exportOf(observer.accessToken);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-type')).toBe(PROMETHEUS_TYPE);
    expect(answer.text).toContain(`load_1m{host="${hostId}",host_name="obs-01",tenant="${tenant.id}"} 0.5`);

    const anonymous = await exportOf();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
  });

  it('should never export another tenant’s hosts', async () => {
    const first = await platform.tenant();
    const second = await platform.tenant();
    const secretId = await report(first, { name: 'secret-01' }, [{ name: 'cpu.usage_pct', value: 99 }]);
    const ownId = await report(second, { name: 'own-01' }, [{ name: 'cpu.usage_pct', value: 1 }]);
    await settledExport(first.owner.accessToken, secretId, 1);

    const text = await settledExport(second.owner.accessToken, ownId, 1);
    expect(text).not.toContain(secretId);
    expect(text).not.toContain('secret-01');
    expect(text).not.toContain(first.id);
  });

  it('should refuse with a problem before streaming when the tenant holds more series than allowed', async () => {
    const tenant = await platform.tenant();
    const hostId = await report(tenant, { name: 'many-01' }, [
      { name: 'cpu.usage_pct', value: 1 },
      { name: 'mem.used_pct', value: 2 },
      { name: 'load.1m', value: 3 },
    ]);
    await settledExport(tenant.owner.accessToken, hostId, 3);
    const limited = await platform.startGateway({ GATEWAY_EXPORT_MAX_SERIES: '2' });
    try {
      const answer = await exportOf(tenant.owner.accessToken, limited);
      expect(answer.status, answer.text).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({
        code: 'export.too_many_series',
        title: 'Too many series to export',
        status: 422,
      });
      expect(String(answer.body.detail)).toContain('more than 2 series');
    } finally {
      await limited.close();
    }
  });

  describe('GET /api/v1/hosts/export.csv', () => {
    const HEADER = [
      'id',
      'name',
      'status',
      'tags',
      'description',
      'os',
      'kernel',
      'last_seen',
      'first_seen',
      'source',
      'interval_seconds',
      'series_count',
    ];

    async function csvOf(token: string, query = ''): Promise<{ answer: Answer; records: string[][] }> {
      const answer = await platform.gateway.call('GET', `/api/v1/hosts/export.csv${query}`, { token });
      expect(answer.status, answer.text).toBe(200);
      return { answer, records: parseCsv(answer.text) };
    }

    it('should stream RFC 4180 CSV that parses back, with formulas neutralised, to an observer', async () => {
      const tenant = await platform.tenant();
      const evilId = await report(tenant, { name: "=cmd|' /C calc'!A0", tags: ['prod', 'web'] }, [
        { name: 'cpu.usage_pct', value: 1 },
      ]);
      const plainId = await report(tenant, { name: 'db, "primary"', tags: ['db'] }, [
        { name: 'cpu.usage_pct', value: 2 },
        { name: 'mem.used_pct', value: 3 },
      ]);
      await expectEventually(async () => {
        const patched = await platform.gateway.call('PATCH', `/api/v1/hosts/${plainId}`, {
          token: tenant.owner.accessToken,
          body: { description: '=HYPERLINK("http://evil")\r\nsecond line' },
        });
        expect(patched.status, patched.text).toBe(200);
      });
      const observer = await tenant.user('observer');

      const { answer, records } = await expectEventually(async () => {
        const read = await csvOf(observer.accessToken);
        expect(read.records).toHaveLength(3);
        return read;
      });
      expect(answer.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="hosts.csv"');
      expect(records[0]).toEqual(HEADER);
      const byId = new Map(records.slice(1).map((record) => [record[0], record]));
      const evil = byId.get(evilId)!;
      const plain = byId.get(plainId)!;
      expect(evil[1]).toBe("'=cmd|' /C calc'!A0");
      expect(evil[3].split(';').sort()).toEqual(['prod', 'web']);
      expect(evil[5]).toBe('Debian 12');
      expect(plain[1]).toBe('db, "primary"');
      expect(plain[4]).toBe('\'=HYPERLINK("http://evil")\r\nsecond line');
      expect(plain[11]).toBe('2');
      for (const record of records.slice(1)) {
        expect(record).toHaveLength(HEADER.length);
        expect(record[7]).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      }
    });

    it('should apply the host list’s filters and show no other tenant’s hosts', async () => {
      const tenant = await platform.tenant();
      const other = await platform.tenant();
      const webId = await report(tenant, { name: 'web-07', tags: ['web'] }, [
        { name: 'cpu.usage_pct', value: 1 },
      ]);
      const dbId = await report(tenant, { name: 'db-07', tags: ['db'] }, [
        { name: 'cpu.usage_pct', value: 1 },
      ]);
      const hiddenId = await report(other, { name: 'web-hidden' }, [{ name: 'cpu.usage_pct', value: 1 }]);
      const token = tenant.owner.accessToken;
      await expectEventually(async () => expect((await csvOf(token)).records).toHaveLength(3));

      const ids = async (query: string) => (await csvOf(token, query)).records.slice(1).map((row) => row[0]);
      expect(await ids('?tag=web')).toEqual([webId]);
      expect(await ids('?q=db-0')).toEqual([dbId]);
      expect((await ids('?status=online')).sort()).toEqual([dbId, webId].sort());
      expect(await ids('?status=offline')).toEqual([]);
      expect(await ids(`?q=${randomUUID()}`)).toEqual([]);
      expect((await ids('?q=web')).includes(hiddenId)).toBe(false);

      const unknown = await platform.gateway.call('GET', '/api/v1/hosts/export.csv?limit=5', { token });
      expect(unknown.status).toBe(400);
      const anonymous = await platform.gateway.call('GET', '/api/v1/hosts/export.csv');
      expect(anonymous.status).toBe(401);
    });
  });
});
