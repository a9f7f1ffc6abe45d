import { z } from 'zod';

import {
  HostIdSchema,
  Inventory,
  IsoTime,
  LIMITS,
  MetricName,
  Tags,
  TenantIdSchema,
} from '../schemas/common';
import { TokenActor } from './auth-tokens';

export const HOST_STATUSES = ['online', 'offline'] as const;
export const HostStatus = z.enum(HOST_STATUSES);
export type HostStatus = z.infer<typeof HostStatus>;

export const STORAGE_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export const StorageResolution = z.enum(STORAGE_RESOLUTIONS);
export type StorageResolution = z.infer<typeof StorageResolution>;

/** Most points one series of a range query may return (Prometheus uses 11,000). */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Most series the Prometheus export returns for one tenant before answering `export.too_many_series`. */
export const MAX_EXPORT_SERIES = 200_000;
/** Most series one page of a paged export may ask for; a page also ends early to fit one NATS message. */
export const MAX_EXPORT_PAGE_SERIES = 10_000;
/** Page size of a paged export that names a cursor but no limit. */
export const DEFAULT_EXPORT_PAGE_SERIES = 5_000;

/**
 * The Prometheus metric name of a stored metric name: every character outside `[A-Za-z0-9_:]` becomes
 * `_`, and a leading digit gets a `_` in front. Paged exports come in the order of this name, so all the
 * series that share it (`cpu.usage` and `cpu_usage`) arrive together and a metric family is never split.
 */
export function prometheusMetricName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_:]/gu, '_');
  return /^[0-9]/.test(replaced) || replaced === '' ? `_${replaced}` : replaced;
}

const Cursor = z.string().min(1).max(2048);
const LabelMatchers = z.record(
  z.string().min(1).max(LIMITS.labelKeyLength),
  z.string().max(LIMITS.labelValueLength),
);

export const HostSummary = z.object({
  id: HostIdSchema,
  name: z.string(),
  description: z.string(),
  /** Tags set through the API merged with the ones the host reports itself. */
  tags: z.array(z.string()),
  status: HostStatus,
  source: z.string(),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  statusChangedAt: IsoTime,
  intervalSeconds: z.number(),
  seriesCount: z.number().int().nonnegative(),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostDetail = HostSummary.extend({
  editableTags: z.array(z.string()),
  reportedTags: z.array(z.string()),
  inventory: Inventory,
  inventoryUpdatedAt: IsoTime.nullable(),
  seriesDropped: z.number().int().nonnegative(),
  metricNames: z.array(z.string()),
});
export type HostDetail = z.infer<typeof HostDetail>;

export const HostFilters = z
  .object({
    q: z.string().max(200).optional(),
    status: HostStatus.optional(),
    tag: z.string().min(1).max(LIMITS.tagLength).optional(),
  })
  .strict();
export type HostFilters = z.infer<typeof HostFilters>;

export const SeriesPoints = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  /** `[ISO time, value]`; the value is the average over the step (`null` never appears: empty steps are omitted). */
  points: z.array(z.tuple([IsoTime, z.number()])),
});
export type SeriesPoints = z.infer<typeof SeriesPoints>;

export const LatestSample = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  time: IsoTime,
  value: z.number(),
});
export type LatestSample = z.infer<typeof LatestSample>;

export const ExportSeries = LatestSample.extend({ hostId: z.string(), hostName: z.string() });
export type ExportSeries = z.infer<typeof ExportSeries>;

const HostRef = z.object({ tenantId: TenantIdSchema, hostId: HostIdSchema }).strict();

/** `rpc.ingest.*`: fleet and metric queries. Reads take the tenant the gateway took from the token. */
export const ingestRpc = {
  'rpc.ingest.hosts.list': {
    request: z
      .object({
        tenantId: TenantIdSchema,
        filters: HostFilters.default({}),
        limit: z.number().int().min(1).max(500).default(50),
        cursor: Cursor.optional(),
      })
      .strict(),
    reply: z.object({ items: z.array(HostSummary), nextCursor: z.string().nullable() }),
  },
  'rpc.ingest.hosts.get': { request: HostRef, reply: HostDetail },
  'rpc.ingest.hosts.update': {
    request: z
      .object({
        actor: TokenActor,
        hostId: HostIdSchema,
        description: z.string().max(2000).optional(),
        tags: Tags.optional(),
      })
      .strict(),
    reply: HostDetail,
  },
  /** One page of the CSV export's rows (the gateway streams the pages as RFC 4180 CSV). */
  'rpc.ingest.hosts.exportRows': {
    request: z
      .object({
        tenantId: TenantIdSchema,
        filters: HostFilters.default({}),
        limit: z.number().int().min(1).max(5000).default(1000),
        cursor: Cursor.optional(),
      })
      .strict(),
    reply: z.object({
      columns: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      nextCursor: z.string().nullable(),
    }),
  },
  'rpc.ingest.metrics.series': {
    request: z
      .object({
        tenantId: TenantIdSchema,
        hostId: HostIdSchema,
        names: z.array(MetricName).min(1).max(50),
        labels: LabelMatchers.optional(),
        from: IsoTime,
        to: IsoTime,
        /** Seconds; widened when the range would give more than `maxPoints` points. */
        stepSeconds: z
          .number()
          .int()
          .min(1)
          .max(86_400 * 31)
          .optional(),
        maxPoints: z.number().int().min(1).max(MAX_POINTS_PER_SERIES).default(1_000),
        resolution: z.enum(['auto', ...STORAGE_RESOLUTIONS]).default('auto'),
      })
      .strict(),
    reply: z.object({
      resolution: StorageResolution,
      stepSeconds: z.number().int().positive(),
      from: IsoTime,
      to: IsoTime,
      series: z.array(SeriesPoints),
    }),
  },
  'rpc.ingest.metrics.latest': {
    request: HostRef.extend({ names: z.array(MetricName).max(500).optional() }).strict(),
    reply: z.object({ series: z.array(LatestSample) }),
  },
  'rpc.ingest.metrics.names': {
    request: HostRef,
    reply: z.object({ names: z.array(z.string()) }),
  },
  /**
   * The latest value of every series of a tenant, for the Prometheus export. Without `cursor` and `limit`
   * the whole export comes in one reply (or `export.too_many_series` when it would not fit). With either,
   * it comes in pages ordered by `prometheusMetricName(name)` and then series: follow `nextCursor` until
   * it is `null`. A first page (no cursor) answers `export.too_many_series` when the tenant holds more
   * than `maxSeries` series, so a streaming caller can refuse before it starts answering. Pages stay
   * correct under concurrent writes (series present throughout are returned once; new ones may appear).
   */
  'rpc.ingest.export.latest': {
    request: z
      .object({
        tenantId: TenantIdSchema,
        hostIds: z.array(HostIdSchema).max(1000).optional(),
        maxSeries: z.number().int().min(1).max(MAX_EXPORT_SERIES).default(50_000),
        limit: z.number().int().min(1).max(MAX_EXPORT_PAGE_SERIES).optional(),
        cursor: Cursor.optional(),
      })
      .strict(),
    reply: z.object({ series: z.array(ExportSeries), nextCursor: z.string().nullable() }),
  },
} as const;

/** Error codes of `rpc.ingest.*` beyond the generic ones. */
export const INGEST_ERROR_CODES = {
  hostNotFound: 'host.not_found',
  tooManySeries: 'export.too_many_series',
  invalidRange: 'metrics.invalid_range',
  tooManyLatestSeries: 'metrics.too_many_series',
  replyTooLarge: 'reply_too_large',
} as const;
