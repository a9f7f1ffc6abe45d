import { Inject, Injectable } from '@nestjs/common';
import {
  type ExportSeries,
  type LatestSample,
  prometheusMetricName,
  type SeriesPoints,
  type StorageResolution,
} from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import { HOST_REPOSITORY, type HostRepository } from '../hosts/host.repository';
import { decodeExportCursor, encodeExportCursor } from './export-cursor';
import {
  type BucketQuery,
  type ExportPageRow,
  type HostScope,
  type LatestRow,
  MetricsQueryRepository,
  type SeriesPointsRow,
  type SeriesRef,
} from './metrics-query.repository';
import { QueryError, QueryErrorCode } from './queries.errors';
import { QUERY_SETTINGS, type QuerySettings } from './query-settings';
import { assertRange, planSeries, RESOLUTION_SECONDS } from './series-plan';

export interface SeriesRequest {
  hostId: string;
  names: string[];
  labels?: Record<string, string>;
  from: Date;
  to: Date;
  stepSeconds?: number;
  maxPoints: number;
  resolution: StorageResolution | 'auto';
  /** What the whole answer may weigh once encoded; more series get fewer points each. */
  maxReplyBytes: number;
}

export interface SeriesResult {
  resolution: StorageResolution;
  stepSeconds: number;
  series: SeriesPoints[];
}

export interface ExportRequest {
  hostIds?: string[];
  maxSeries: number;
  maxReplyBytes: number;
}

export interface ExportPageRequest {
  hostIds?: string[];
  /** Checked on the first page only: a tenant with more series is refused before any page is read. */
  maxSeries: number;
  limit: number;
  cursor?: string;
  /** What the page may weigh once encoded: a fuller page ends early and hands out a cursor. */
  maxReplyBytes: number;
}

export interface ExportPage {
  series: ExportSeries[];
  nextCursor: string | null;
}

/** Encoded size of one `["2026-11-20T10:00:00.000Z",-1.2345678901234567e-300]` point, rounded up. */
export const BYTES_PER_POINT = 56;
/** Encoded size of everything of an exported series but its names and labels (time, value, keys). */
export const BYTES_PER_EXPORTED_SERIES = 110;
const BYTES_PER_SERIES = 64;

function finite(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/** Refuses an answer that would not fit one NATS message, naming how many of its items would. */
function assertFits(items: unknown[], maxReplyBytes: number, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(items));
  if (bytes <= maxReplyBytes) return;
  const limit = Math.floor((items.length * maxReplyBytes) / bytes);
  throw new QueryError(
    QueryErrorCode.TooManySeries,
    `the host has ${items.length} ${what}, more than the ${limit} one answer may carry: ask for some names`,
    { limit, count: items.length },
  );
}

function tooManyExportSeries(count: number, limit: number): QueryError {
  return new QueryError(
    QueryErrorCode.TooManyExportSeries,
    `the export holds ${count} series, more than the ${limit} one answer may carry`,
    { limit, count },
  );
}

/** The page's series with values, in order, as many as fit; `consumed` counts the rows they cover. */
function fittingSeries(rows: ExportPageRow[], maxReplyBytes: number) {
  const series: ExportSeries[] = [];
  const times = new Map<number, string>();
  let bytes = 2;
  let consumed = 0;
  for (const { hostId, hostName, name, labels, seconds, value } of rows) {
    if (seconds !== null && finite(value)) {
      let time = times.get(seconds);
      if (time === undefined) times.set(seconds, (time = new Date(seconds * 1000).toISOString()));
      const item = { hostId, hostName, name, labels, time, value };
      bytes += Buffer.byteLength(JSON.stringify(item)) + 1;
      if (bytes > maxReplyBytes && series.length > 0) break;
      series.push(item);
    }
    consumed += 1;
  }
  return { series, consumed };
}

function sample(row: LatestRow): LatestSample {
  return { name: row.name, labels: row.labels, time: row.time.toISOString(), value: row.value as number };
}

/** Range, latest and export queries over one tenant's metric store. */
@Injectable()
export class MetricsQueryService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    private readonly repository: MetricsQueryRepository,
    @Inject(QUERY_SETTINGS) private readonly settings: QuerySettings,
  ) {}

  async series(tenantId: TenantId, request: SeriesRequest): Promise<SeriesResult> {
    assertRange(request.from, request.to);
    const scope = await this.scope(tenantId, request.hostId);
    const found = await this.repository.findSeries(scope, request.names, request.labels ?? {});
    const plan = planSeries({
      from: request.from,
      to: request.to,
      stepSeconds: request.stepSeconds,
      maxPoints: Math.min(request.maxPoints, this.pointsPerSeries(found, request.maxReplyBytes)),
      resolution: request.resolution,
      now: new Date(),
      retentionDays: this.settings.retentionDays,
    });
    const unitMs = RESOLUTION_SECONDS[plan.resolution] * 1000;
    const query: BucketQuery = {
      seriesIds: found.map((series) => series.id),
      // A rollup bucket that starts before `from` still holds data from inside the range.
      from:
        plan.resolution === 'raw'
          ? request.from
          : new Date(Math.floor(request.from.getTime() / unitMs) * unitMs),
      to: request.to,
      stepSeconds: plan.stepSeconds,
    };
    const rows = found.length === 0 ? [] : await this.points(scope, plan.resolution, query);
    return { ...plan, series: this.grouped(found, rows) };
  }

  async latest(
    tenantId: TenantId,
    request: { hostId: string; names?: string[]; maxReplyBytes: number },
  ): Promise<LatestSample[]> {
    const rows = await this.repository.latest(await this.scope(tenantId, request.hostId), request.names);
    const samples = rows.filter((row) => finite(row.value)).map(sample);
    assertFits(samples, request.maxReplyBytes, 'series with values');
    return samples;
  }

  async names(tenantId: TenantId, request: { hostId: string; maxReplyBytes: number }): Promise<string[]> {
    const names = await this.repository.names(await this.scope(tenantId, request.hostId));
    assertFits(names, request.maxReplyBytes, 'metric names');
    return names;
  }

  async exportLatest(tenantId: TenantId, request: ExportRequest): Promise<ExportSeries[]> {
    const size = await this.repository.exportSize(tenantId, request.hostIds);
    const bytes = size.bytes + size.count * BYTES_PER_EXPORTED_SERIES;
    const fitting = Math.floor((size.count * request.maxReplyBytes) / Math.max(bytes, 1));
    if (size.count > request.maxSeries || bytes > request.maxReplyBytes) {
      throw tooManyExportSeries(size.count, Math.min(request.maxSeries, fitting));
    }
    const families = new Map<string, ExportSeries[]>();
    for (const row of await this.repository.exportLatest(tenantId, request.hostIds)) {
      if (!finite(row.value)) continue;
      const name = prometheusMetricName(row.name);
      const family = families.get(name);
      if (family) family.push(row as ExportSeries);
      else families.set(name, [row as ExportSeries]);
    }
    // The Prometheus text format wants every sample of a metric in one group.
    return [...families.values()].flat();
  }

  /** One page of the export in Prometheus metric name order; follow `nextCursor` until it is `null`. */
  async exportPage(tenantId: TenantId, request: ExportPageRequest): Promise<ExportPage> {
    const after = decodeExportCursor(request.cursor);
    if (after === undefined) {
      const { count } = await this.repository.exportSize(tenantId, request.hostIds);
      if (count > request.maxSeries) throw tooManyExportSeries(count, request.maxSeries);
    }
    // One row more than the page holds tells whether another page follows.
    const rows = await this.repository.exportPage(tenantId, {
      hostIds: request.hostIds,
      after,
      limit: request.limit + 1,
    });
    const { series, consumed } = fittingSeries(rows.slice(0, request.limit), request.maxReplyBytes);
    const last = rows[consumed - 1];
    return {
      series,
      nextCursor:
        rows.length > consumed && last
          ? encodeExportCursor({ family: last.family, seriesId: last.seriesId })
          : null,
    };
  }

  private async scope(tenantId: TenantId, hostId: string): Promise<HostScope> {
    const hostKey = await this.hosts.resolveKey(tenantId, hostId);
    if (hostKey === undefined) {
      throw new QueryError(QueryErrorCode.HostNotFound, `host ${hostId} was not found`);
    }
    return { tenantId, hostKey };
  }

  /** How many points each series may have so that the whole answer stays within its byte budget. */
  private pointsPerSeries(found: SeriesRef[], maxReplyBytes: number): number {
    if (found.length === 0) return Number.MAX_SAFE_INTEGER;
    const overhead = found.reduce(
      (total, series) => total + series.name.length + JSON.stringify(series.labels).length + BYTES_PER_SERIES,
      BYTES_PER_SERIES,
    );
    const points = Math.floor((maxReplyBytes - overhead) / (found.length * BYTES_PER_POINT));
    if (points < 1) {
      throw new QueryError(
        QueryErrorCode.TooManySeries,
        `the names and labels match ${found.length} series, too many for one answer: narrow them with labels`,
        { count: found.length },
      );
    }
    return points;
  }

  private points(
    scope: HostScope,
    resolution: StorageResolution,
    query: BucketQuery,
  ): Promise<SeriesPointsRow[]> {
    if (resolution === 'raw') return this.repository.rawPoints(scope, query);
    const table = resolution === '1m' ? 'rollup_1m' : 'rollup_1h';
    return this.repository.rollupPoints(scope, table, {
      ...query,
      unitSeconds: RESOLUTION_SECONDS[resolution],
    });
  }

  private grouped(found: SeriesRef[], rows: SeriesPointsRow[]): SeriesPoints[] {
    const points = new Map(rows.map((row) => [row.seriesId, row.points]));
    return found.map((series) => ({
      name: series.name,
      labels: series.labels,
      points: (points.get(series.id) ?? []).map(([seconds, value]) => [
        new Date(seconds * 1000).toISOString(),
        value,
      ]),
    }));
  }
}
