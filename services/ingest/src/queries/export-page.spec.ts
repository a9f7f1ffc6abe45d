import { asTenantId } from '@optralis/db';

import type { HostRepository } from '../hosts/host.repository';
import { decodeExportCursor, encodeExportCursor } from './export-cursor';
import type { ExportPageRow } from './metrics-query.repository';
import { MetricsQueryRepository } from './metrics-query.repository';
import { MetricsQueryService } from './metrics-query.service';
import { strictMock } from '@optralis/testing/vitest';

const tenantId = asTenantId('tenant-a');
const seconds = Date.parse('2026-11-20T10:00:00.000Z') / 1000;

function row(seriesId: number, overrides: Partial<ExportPageRow> = {}): ExportPageRow {
  return {
    seriesId,
    family: 'cpu_usage_pct',
    hostId: `host-${seriesId}`,
    hostName: 'web-01',
    name: 'cpu.usage_pct',
    labels: {},
    seconds,
    value: seriesId,
    ...overrides,
  };
}

describe(`${MetricsQueryService.name} export pages`, () => {
  function setup() {
    const hosts = strictMock<HostRepository>(['resolveKey']);
    const repository = strictMock<MetricsQueryRepository>(['exportSize', 'exportPage']);
    const settings = { retentionDays: { raw: 7, '1m': 30, '1h': 400 } };
    return { sut: new MetricsQueryService(hosts, repository, settings), repository };
  }
  const page = { maxSeries: 100, limit: 2, maxReplyBytes: 1_000_000 };

  it('should hand out a cursor after the last series only when one more series than the page exists', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 3, bytes: 0 });
    repository.exportPage.mockResolvedValueOnce([row(1), row(2), row(3)]).mockResolvedValueOnce([row(3)]);

    const first = await sut.exportPage(tenantId, page);
    const second = await sut.exportPage(tenantId, { ...page, cursor: first.nextCursor ?? undefined });

    expect(first.series.map((series) => series.value)).toEqual([1, 2]);
    expect(first.series[0]).toEqual({
      hostId: 'host-1',
      hostName: 'web-01',
      name: 'cpu.usage_pct',
      labels: {},
      time: '2026-11-20T10:00:00.000Z',
      value: 1,
    });
    expect(decodeExportCursor(first.nextCursor ?? undefined)).toEqual({
      family: 'cpu_usage_pct',
      seriesId: 2,
    });
    expect(repository.exportPage).toHaveBeenLastCalledWith(tenantId, {
      hostIds: undefined,
      after: { family: 'cpu_usage_pct', seriesId: 2 },
      limit: 3,
    });
    expect(second).toEqual({ series: [expect.objectContaining({ value: 3 })], nextCursor: null });
  });

  it('should count the series only on the first page and refuse a tenant with more than maxSeries', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 101, bytes: 0 });
    repository.exportPage.mockResolvedValue([]);

    await expect(sut.exportPage(tenantId, page)).rejects.toMatchObject({
      code: 'export.too_many_series',
      details: { limit: 100, count: 101 },
    });
    const cursor = encodeExportCursor({ family: 'a', seriesId: 1 });
    await expect(sut.exportPage(tenantId, { ...page, cursor })).resolves.toEqual({
      series: [],
      nextCursor: null,
    });
    expect(repository.exportSize).toHaveBeenCalledTimes(1);
  });

  it('should leave series without a finite value out but move the cursor past them', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 3, bytes: 0 });
    repository.exportPage.mockResolvedValue([
      row(1, { value: Number.NaN }),
      row(2, { seconds: null, value: null }),
      row(3, { family: 'mem_used_pct' }),
    ]);

    const result = await sut.exportPage(tenantId, page);

    expect(result.series).toEqual([]);
    expect(decodeExportCursor(result.nextCursor ?? undefined)).toEqual({
      family: 'cpu_usage_pct',
      seriesId: 2,
    });
  });

  it('should end a page early with a cursor after the last series that fits when series are large', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 3, bytes: 0 });
    const wide = (seriesId: number) => row(seriesId, { labels: { pad: 'x'.repeat(400) } });
    repository.exportPage.mockResolvedValue([wide(1), wide(2), wide(3)]);

    const result = await sut.exportPage(tenantId, { ...page, limit: 3, maxReplyBytes: 1200 });

    expect(result.series).toHaveLength(2);
    expect(decodeExportCursor(result.nextCursor ?? undefined)).toEqual({
      family: 'cpu_usage_pct',
      seriesId: 2,
    });
  });

  it('should still hand out one series when a single one is larger than the budget', async () => {
    const { sut, repository } = setup();
    repository.exportSize.mockResolvedValue({ count: 2, bytes: 0 });
    repository.exportPage.mockResolvedValue([row(1, { labels: { pad: 'x'.repeat(400) } }), row(2)]);

    const result = await sut.exportPage(tenantId, { ...page, maxReplyBytes: 10 });

    expect(result.series).toHaveLength(1);
    expect(decodeExportCursor(result.nextCursor ?? undefined)).toEqual({
      family: 'cpu_usage_pct',
      seriesId: 1,
    });
  });

  it('should refuse a cursor it did not hand out with invalid_request', async () => {
    const { sut } = setup();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      '%%%',
      'not a cursor',
      'bnVsbA',
      encode(['cpu_usage_pct']),
      encode(['cpu_usage_pct', -1]),
      encode(['cpu_usage_pct', 1.5]),
      encode(['cpu.usage_pct', 1]),
      encode(["'; DROP TABLE ingest.series; --", 1]),
      encode({ family: 'a', seriesId: 1 }),
    ];

    for (const cursor of cursors) {
      await expect(sut.exportPage(tenantId, { ...page, cursor })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
  });
});
