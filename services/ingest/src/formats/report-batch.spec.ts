import { MetricsReport } from '@optralis/contracts';

import type { NormaliseContext } from './normalise';
import { ReportBatch } from './report-batch';

const context: NormaliseContext = {
  tenantId: 'tenant-1',
  receivedAt: new Date('2026-11-20T10:00:00.000Z'),
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};
const web = { id: 'web-01', name: 'web-01' };
const db = { id: 'db-01', name: 'db-01' };
const time = Date.parse('2026-11-20T09:59:50.000Z');

describe(ReportBatch.name, () => {
  it('should make one report per host and timestamp when samples arrive interleaved', () => {
    const batch = new ReportBatch('influx', context);
    batch.add(web, time, { name: 'cpu.usage', value: 1 });
    batch.add(db, time, { name: 'cpu.usage', value: 2 });
    batch.add(web, time + 10_000, { name: 'cpu.usage', value: 3 });
    batch.add(web, time, { name: 'mem.used', value: 4 });

    const reports = batch.reports();

    expect(reports.map((report) => [report.hostId, report.time, report.samples.length])).toEqual([
      ['web-01', '2026-11-20T09:59:50.000Z', 2],
      ['web-01', '2026-11-20T10:00:00.000Z', 1],
      ['db-01', '2026-11-20T09:59:50.000Z', 1],
    ]);
    for (const report of reports) expect(MetricsReport.safeParse(report).success).toBe(true);
  });

  it('should give the same id when the same content arrives in another order', () => {
    const first = new ReportBatch('prometheus', context);
    first.add(web, time, { name: 'a', value: 1, labels: { x: '1', y: '2' } });
    first.add(web, time, { name: 'b', value: 2 });
    const second = new ReportBatch('prometheus', context);
    second.add(web, time, { name: 'b', value: 2 });
    second.add(web, time, { name: 'a', value: 1, labels: { y: '2', x: '1' } });

    expect(second.reports()[0]!.id).toBe(first.reports()[0]!.id);
    expect(first.reports()[0]!.id).toMatch(/^prometheus:[0-9a-f]{64}$/);
  });

  it('should give another id when a value, a label, the tenant or the inventory differs', () => {
    const idOf = (fill: (batch: ReportBatch) => void, tenantId = 'tenant-1') => {
      const batch = new ReportBatch('otlp', { ...context, tenantId });
      fill(batch);
      return batch.reports()[0]!.id;
    };
    const ids = [
      idOf((batch) => batch.add(web, time, { name: 'a', value: 1 })),
      idOf((batch) => batch.add(web, time, { name: 'a', value: 2 })),
      idOf((batch) => batch.add(web, time, { name: 'a', value: 1, labels: { k: 'v' } })),
      idOf((batch) => batch.add(web, time, { name: 'a', value: 1 }), 'tenant-2'),
      idOf((batch) => {
        batch.add(web, time, { name: 'a', value: 1 });
        batch.addInventory(web, time, 'os', 'Debian 12');
      }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should split a group into reports of at most 10,000 samples with distinct ids when it is larger', () => {
    const batch = new ReportBatch('influx', context);
    for (let index = 0; index < 25_001; index++) batch.add(web, time, { name: 'm', value: index });
    batch.addInventory(web, time, 'os', 'Debian 12');

    const reports = batch.reports();

    expect(reports.map((report) => report.samples.length)).toEqual([10_000, 10_000, 5_001]);
    expect(new Set(reports.map((report) => report.id)).size).toBe(3);
    expect(reports.map((report) => report.inventory)).toEqual([{ os: 'Debian 12' }, undefined, undefined]);
    for (const report of reports) expect(MetricsReport.safeParse(report).success).toBe(true);
  });

  it('should make a report without samples when a group only has inventory', () => {
    const batch = new ReportBatch('influx', context);
    batch.addInventory(web, time, 'system.os', 'linux');

    expect(batch.reports()).toEqual([
      expect.objectContaining({
        samples: [],
        inventory: { 'system.os': 'linux' },
        receivedAt: '2026-11-20T10:00:00.000Z',
      }),
    ]);
  });
});
