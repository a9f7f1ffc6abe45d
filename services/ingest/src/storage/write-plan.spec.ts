import type { MetricsReport } from '@optralis/contracts';

import { shapeOf, shapeText } from './row-shape';
import { buildWritePlan } from './write-plan';

const base = Date.UTC(2026, 10, 21, 10, 0, 0);

function report(overrides: Partial<MetricsReport> & { hostId: string; at: number }): MetricsReport {
  const { at, ...rest } = overrides;
  return {
    id: `r-${overrides.hostId}-${at}`,
    tenantId: 'tenant-b',
    hostName: `name-${at}`,
    source: 'agent',
    time: new Date(base + at * 1000).toISOString(),
    receivedAt: new Date(base + at * 1000 + 50).toISOString(),
    samples: [{ name: 'cpu', value: at }],
    ...rest,
  };
}

describe(buildWritePlan.name, () => {
  it('should sort hosts by tenant and host and point each row at its host when reports are mixed', () => {
    const plan = buildWritePlan(
      [
        report({ hostId: 'z', at: 1 }),
        report({ hostId: 'a', at: 2, tenantId: 'tenant-c' }),
        report({ hostId: 'a', at: 3 }),
        report({ hostId: 'z', at: 4 }),
      ],
      { oldestAllowedMs: 0 },
    );

    expect(plan.hosts.map((host) => `${host.tenantId}/${host.hostId}`)).toEqual([
      'tenant-b/a',
      'tenant-b/z',
      'tenant-c/a',
    ]);
    expect(plan.rows.map((row) => [plan.hosts[row.host].hostId, row.values[0]])).toEqual([
      ['z', 1],
      ['a', 2],
      ['a', 3],
      ['z', 4],
    ]);
    expect(plan.hosts[1]).toMatchObject({
      name: 'name-4',
      times: [base + 1000, base + 4000],
      lastReceivedAt: base + 4050,
    });
    expect([plan.minTimeMs, plan.maxTimeMs]).toEqual([base + 1000, base + 4000]);
  });

  it('should keep values in sample order with the shape of the report when a report repeats a series', () => {
    const samples = [
      { name: 'a', value: 1, labels: { x: '1' } },
      { name: 'b', value: 2 },
      { name: 'a', value: 3, labels: { x: '1' } },
    ];
    const plan = buildWritePlan([report({ hostId: 'h', at: 1, samples })], { oldestAllowedMs: 0 });

    expect(plan.rows[0]).toMatchObject({ values: [1, 2, 3], samples, shape: shapeOf(samples) });
    expect(shapeText(samples)).toBe('a|1:x1:1\u0001b\u0001a|1:x1:1\u0001');
  });

  it('should count the samples of reports older than the retention and keep their host fresh', () => {
    const plan = buildWritePlan([report({ hostId: 'old', at: 1 }), report({ hostId: 'old', at: 100 })], {
      oldestAllowedMs: base + 50_000,
    });

    expect(plan.tooOld).toBe(1);
    expect(plan.rows).toHaveLength(1);
    expect(plan.hosts[0].times).toEqual([base + 1000, base + 100_000]);
  });

  it('should keep the newest inventory of a host when several reports carry one', () => {
    const plan = buildWritePlan(
      [
        report({ hostId: 'i', at: 5, inventory: { os: 'new' } }),
        report({ hostId: 'i', at: 1, inventory: { os: 'old' } }),
        report({ hostId: 'i', at: 9 }),
      ],
      { oldestAllowedMs: 0 },
    );

    expect(plan.hosts[0].inventory).toMatchObject({ json: '{"os":"new"}', time: base + 5000 });
  });

  it('should normalise a time that is not plain ISO text before it goes into COPY', () => {
    const plan = buildWritePlan([report({ hostId: 't', at: 0, time: '2026-11-21 10:00:00Z' })], {
      oldestAllowedMs: 0,
    });

    expect(plan.rows[0].time).toBe('2026-11-21T10:00:00.000Z');
  });
});
