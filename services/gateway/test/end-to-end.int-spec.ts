import { randomUUID } from 'node:crypto';

import { expectEventually } from '@optralis/testing';

import { postReport, promtoolCheck } from './export-fixtures';
import { type Platform, ROOT, startPlatform } from './gateway-test-app';

/**
 * 60 s points come from the 1-minute rollups, which fold a minute once it has closed (up to ~75 s after
 * the sample): the test allows for that, its own timeout included.
 */
const ROLLUP_WAIT = { timeoutMs: 100_000, intervalMs: 500 };

interface HostPage {
  items: { id: string; name: string; status: string }[];
  nextCursor: string | null;
}

interface MetricSeries {
  stepSeconds: number;
  series: { name: string; labels: Record<string, string>; points: [string, number][] }[];
}

describe('End to end: bootstrap admin → tokens → agent report → hosts, metrics and export', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ ingest: true });
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('should show an agent’s host, its metrics and a valid Prometheus export to an API token', async () => {
    const { gateway } = platform;
    const login = await expectEventually(
      async () => {
        const answer = await gateway.call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
          body: ROOT,
        });
        expect(answer.status, answer.text).toBe(200);
        return answer.body;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const apiToken = await gateway.call<{ id: string; token: string }>('POST', '/api/v1/api-tokens', {
      token: login.accessToken,
      body: { name: 'e2e-reader', role: 'admin', expiresAt: null },
    });
    expect(apiToken.status, apiToken.text).toBe(201);
    const ingestToken = await gateway.call<{ id: string; token: string }>('POST', '/api/v1/ingest-tokens', {
      token: login.accessToken,
      body: { name: 'e2e-agent' },
    });
    expect(ingestToken.status, ingestToken.text).toBe(201);

    const reportTime = new Date(Date.now() - 30_000);
    const hostId = await postReport({
      ingestUrl: platform.ingest!.url,
      ingestToken: ingestToken.body.token,
      host: { id: randomUUID(), name: 'web-01', tags: ['prod'] },
      seq: 1842,
      time: reportTime,
      metrics: [
        { name: 'cpu.usage_pct', value: 12.5 },
        { name: 'disk.used_pct', value: 71.2, labels: { mount: '/' } },
      ],
    });
    const token = apiToken.body.token;

    const page = await expectEventually(async () => {
      const answer = await gateway.call<HostPage>('GET', '/api/v1/hosts', { token });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.items.map((host) => host.id)).toContain(hostId);
      return answer.body;
    });
    expect(page.items.find((host) => host.id === hostId)).toMatchObject({ name: 'web-01' });

    const detail = await gateway.call('GET', `/api/v1/hosts/${hostId}`, { token });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body).toMatchObject({ id: hostId, name: 'web-01' });
    expect(detail.body.metricNames).toEqual(expect.arrayContaining(['cpu.usage_pct', 'disk.used_pct']));

    const from = new Date(reportTime.getTime() - 5 * 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const series = await expectEventually(async () => {
      const answer = await gateway.call<MetricSeries>(
        'GET',
        `/api/v1/hosts/${hostId}/metrics?name=cpu.usage_pct&from=${from}&to=${to}&step=60s`,
        { token },
      );
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.series[0]?.points, answer.text).toHaveLength(1);
      return answer.body;
    }, ROLLUP_WAIT);
    expect(series.stepSeconds).toBe(60);
    expect(series.series[0]).toMatchObject({ name: 'cpu.usage_pct', labels: {} });
    expect(series.series[0].points[0][1]).toBe(12.5);

    const exported = await expectEventually(async () => {
      const answer = await gateway.call('GET', '/api/v1/export/prometheus', { token });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.text).toContain(`host="${hostId}"`);
      return answer.text;
    });
    const check = promtoolCheck(exported);
    expect(check.status, `${check.output}\n${exported}`).toBe(0);
    const hostLines = exported.split('\n').filter((line) => line.includes(`host="${hostId}"`));
    expect(hostLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cpu_usage_pct\{host="[^"]+",host_name="web-01",tenant="[^"]+"\} 12\.5 \d+$/),
        expect.stringMatching(
          /^disk_used_pct\{host="[^"]+",host_name="web-01",mount="\/",tenant="[^"]+"\} 71\.2 \d+$/,
        ),
      ]),
    );
    expect(hostLines[0]).toContain(` ${reportTime.getTime()}`);
  }, 150_000);
});
