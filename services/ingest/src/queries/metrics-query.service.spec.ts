import { asTenantId } from '@optralis/db';

import type { HostRepository } from '../hosts/host.repository';
import { MetricsQueryRepository } from './metrics-query.repository';
import { BYTES_PER_EXPORTED_SERIES, MetricsQueryService } from './metrics-query.service';
import { strictMock } from '@optralis/testing/vitest';

const tenantId = asTenantId('tenant-a');
const time = new Date('2026-11-20T10:00:00.000Z');

describe(MetricsQueryService.name, () => {
  function setup() {
    const hosts = strictMock<HostRepository>(['list', 'get', 'update', 'exportRows', 'resolveKey']);
    const repository = strictMock<MetricsQueryRepository>([
      'findSeries',
      'rawPoints',
      'rollupPoints',
      'latest',
      'names',
      'exportSize',
      'exportLatest',
      'exportPage',
    ]);
    const settings = { retentionDays: { raw: 7, '1m': 30, '1h': 400 } };
    return { sut: new MetricsQueryService(hosts, repository, settings), hosts, repository };
  }

  it('should refuse a range query whose series cannot fit one answer even with one point each', async () => {
    const { sut, hosts, repository } = setup();
    hosts.resolveKey.mockResolvedValue(7);
    repository.findSeries.mockResolvedValue(
      Array.from({ length: 100 }, (_, id) => ({ id, name: 'cpu.usage_pct', labels: { cpu: String(id) } })),
    );

    const query = sut.series(tenantId, {
      hostId: 'host-1',
      names: ['cpu.usage_pct'],
      from: time,
      to: new Date(time.getTime() + 60_000),
      maxPoints: 1000,
      resolution: 'auto',
      maxReplyBytes: 10_000,
    });

    await expect(query).rejects.toMatchObject({ code: 'metrics.too_many_series', details: { count: 100 } });
  });

  it('should refuse the export before reading values when the tenant has more series than asked for', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 11, bytes: 500 });

    await expect(
      sut.exportLatest(tenantId, { maxSeries: 10, maxReplyBytes: 1_000_000 }),
    ).rejects.toMatchObject({ code: 'export.too_many_series', details: { limit: 10, count: 11 } });
  });

  it('should name how many series would fit when the export is too large for one answer', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 100, bytes: 100 * (1000 - BYTES_PER_EXPORTED_SERIES) });

    await expect(
      sut.exportLatest(tenantId, { maxSeries: 50_000, maxReplyBytes: 25_000 }),
    ).rejects.toMatchObject({ details: { limit: 25, count: 100 } });
  });

  it('should leave values that are not finite numbers out of the export', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 2, bytes: 100 });
    const row = { hostId: 'h', hostName: 'web', name: 'load', labels: {}, time: time.toISOString() };
    repository.exportLatest.mockResolvedValue([
      { ...row, value: Number.NaN },
      { ...row, name: 'cpu', value: 1.5 },
    ]);

    await expect(sut.exportLatest(tenantId, { maxSeries: 10, maxReplyBytes: 1_000_000 })).resolves.toEqual([
      { ...row, name: 'cpu', value: 1.5 },
    ]);
  });

  it('should group series whose Prometheus names are equal when the export comes in one answer', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 3, bytes: 100 });
    const row = { hostId: 'h', hostName: 'web', labels: {}, time: time.toISOString(), value: 1 };
    repository.exportLatest.mockResolvedValue([
      { ...row, name: 'cpu.usage' },
      { ...row, name: 'cpu.usage_pct' },
      { ...row, name: 'cpu_usage', hostId: 'g' },
    ]);

    const series = await sut.exportLatest(tenantId, { maxSeries: 10, maxReplyBytes: 1_000_000 });

    expect(series.map((entry) => entry.name)).toEqual(['cpu.usage', 'cpu_usage', 'cpu.usage_pct']);
  });

  it('should refuse the latest values of a host whose series cannot fit one answer', async () => {
    const { sut, hosts, repository } = setup();
    hosts.resolveKey.mockResolvedValue(7);
    repository.latest.mockResolvedValue(
      Array.from({ length: 100 }, (_, index) => ({
        name: `m.metric_${index}`,
        labels: {},
        time,
        value: index,
      })),
    );

    const query = sut.latest(tenantId, { hostId: 'host-1', maxReplyBytes: 2000 });

    await expect(query).rejects.toMatchObject({ code: 'metrics.too_many_series', details: { count: 100 } });
  });
});
