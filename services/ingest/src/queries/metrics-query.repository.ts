import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

/** A host the caller already resolved inside its tenant; every query checks the pair again. */
export interface HostScope {
  tenantId: TenantId;
  hostKey: number;
}

export interface SeriesRef {
  id: number;
  name: string;
  labels: Record<string, string>;
}

/** The points of one series, `[seconds since the epoch, value]` in time order, finite values only. */
export interface SeriesPointsRow {
  seriesId: number;
  points: [number, number][];
}

export interface LatestRow {
  name: string;
  labels: Record<string, string>;
  time: Date;
  value: number | null;
}

/** One exported series in the contract's shape, its time already ISO text. */
export interface ExportRow extends Omit<LatestRow, 'time'> {
  hostId: string;
  hostName: string;
  time: string;
}

interface ExportCell extends Omit<ExportRow, 'time'> {
  seriesId: number;
  seconds: number;
}

/** One series of a paged export; `seconds` and `value` are `null` when the series has no latest value. */
export interface ExportPageRow {
  seriesId: number;
  family: string;
  hostId: string;
  hostName: string;
  name: string;
  labels: Record<string, string>;
  seconds: number | null;
  value: number | null;
}

export interface ExportPageQuery {
  hostIds?: string[];
  /** Resume after this series of this family; the first page when absent. */
  after?: { family: string; seriesId: number };
  limit: number;
}

export interface BucketQuery {
  seriesIds: number[];
  from: Date;
  to: Date;
  stepSeconds: number;
}

export type RollupTable = 'rollup_1m' | 'rollup_1h';

const OWNED = `EXISTS (SELECT 1 FROM "ingest"."hosts" h WHERE h."key" = $2 AND h."tenant_id" = $1)`;

/** One row per series from a `buckets (series_id, bucket, value)` query: its points as JSON, in time order. */
function pointsPerSeries(buckets: string): string {
  return `
  WITH "buckets" AS (${buckets})
  SELECT b."series_id" AS "seriesId",
         json_agg(json_build_array(date_part('epoch', b."bucket"), b."value") ORDER BY b."bucket") AS "points"
  FROM "buckets" b
  WHERE b."value" NOT IN ('NaN', 'Infinity', '-Infinity')
  GROUP BY b."series_id"`;
}

/**
 * Average per series and step of the raw samples (one row per report, `values[i]` is `series_ids[i]`).
 * The cells are taken out of the arrays first, so grouping never carries whole rows around.
 */
export const RAW_POINTS_SQL = pointsPerSeries(`
  WITH "cells" AS MATERIALIZED (
    SELECT u."series_id", date_bin(make_interval(secs => $4), s."time", TIMESTAMPTZ 'epoch') AS "bucket",
           s."values"[u."position"] AS "value"
    FROM "ingest"."series_sets" ss
    CROSS JOIN LATERAL unnest(ss."series_ids") WITH ORDINALITY AS u("series_id", "position")
    JOIN "ingest"."samples" s ON s."host_key" = ss."host_key" AND s."set_id" = ss."id"
    WHERE ss."host_key" = $2 AND ss."series_ids" && $3::int[] AND u."series_id" = ANY($3::int[])
      AND s."host_key" = $2 AND s."time" >= $5 AND s."time" < $6 AND ${OWNED})
  SELECT "series_id", "bucket", avg("value") AS "value" FROM "cells" GROUP BY 1, 2`);

/** Average per series and step of a rollup: the sum of sums over the sum of counts. */
export function rollupPointsSql(table: RollupTable, grouped: boolean): string {
  const bucket = `date_bin(make_interval(secs => $4), r."bucket", TIMESTAMPTZ 'epoch')`;
  const source = `FROM "ingest"."${table}" r
    WHERE r."series_id" = ANY(ARRAY(
            SELECT se."id" FROM "ingest"."series" se WHERE se."host_key" = $2 AND se."id" = ANY($3::int[])))
      AND r."bucket" >= $5 AND r."bucket" < $6 AND ${OWNED}`;
  if (!grouped) {
    // A step of exactly one rollup bucket: nothing to merge.
    return pointsPerSeries(`
      SELECT r."series_id", ${bucket} AS "bucket", r."sum" / nullif(r."count", 0)::float8 AS "value" ${source}`);
  }
  return pointsPerSeries(`
    SELECT r."series_id", ${bucket} AS "bucket", sum(r."sum") / nullif(sum(r."count"::float8), 0) AS "value"
    ${source}
    GROUP BY 1, 2`);
}

/** The newest value of every series in `latest`: a series may sit in several sets, the newest row wins. */
const NEWEST_VALUES = `
  SELECT DISTINCT ON (u."series_id") l."host_key", u."series_id", l."time", u."value"
  FROM "ingest"."latest" l
  JOIN "ingest"."series_sets" ss ON ss."id" = l."set_id" AND ss."host_key" = l."host_key"
  CROSS JOIN LATERAL unnest(ss."series_ids", l."values") AS u("series_id", "value")`;

const EXPORTED_HOSTS = `h."tenant_id" = $1 AND ($2::text[] IS NULL OR h."host_id" = ANY($2::text[]))`;

/**
 * `prometheusMetricName(se.name)` of the contract in SQL, in byte order. Names the contract admits only
 * need `.`, `-` and `/` replaced (the fast path); anything else takes the general one, so the order
 * holds for every stored name.
 */
const FAMILY = `(CASE WHEN se."name" ~ '^[A-Za-z_][A-Za-z0-9_.:/-]*$' THEN translate(se."name", '.-/', '___')
  ELSE regexp_replace(regexp_replace(se."name", '[^A-Za-z0-9_:]', '_', 'g'), '^([0-9])', '_\\1') END) COLLATE "C"`;

/**
 * One page of the export in (family, series id) order, the keyset a unique pair. Each series's newest
 * value is looked up in its host's few sets, so a page reads only its own series' values.
 */
const EXPORT_PAGE_SQL = `
  WITH "page" AS (
    SELECT se."id", f."family", h."host_id", h."name" AS "host_name", se."host_key", se."name", se."labels"
    FROM "ingest"."hosts" h
    JOIN "ingest"."series" se ON se."host_key" = h."key"
    CROSS JOIN LATERAL (SELECT ${FAMILY} AS "family") f
    WHERE ${EXPORTED_HOSTS}
      AND ($3::text IS NULL OR f."family" > $3::text OR (f."family" = $3::text AND se."id" > $4::int))
    ORDER BY f."family", se."id"
    LIMIT $5)
  SELECT p."id" AS "seriesId", p."family", p."host_id" AS "hostId", p."host_name" AS "hostName", p."name",
         p."labels", date_part('epoch', n."time") AS "seconds", n."value"
  FROM "page" p
  LEFT JOIN LATERAL (
    SELECT l."time", l."values"[array_position(ss."series_ids", p."id")] AS "value"
    FROM "ingest"."series_sets" ss
    JOIN "ingest"."latest" l ON l."host_key" = ss."host_key" AND l."set_id" = ss."id"
    WHERE ss."host_key" = p."host_key" AND ss."series_ids" @> ARRAY[p."id"]
    ORDER BY l."time" DESC, l."set_id" DESC
    LIMIT 1) n ON true
  ORDER BY p."family", p."id"`;

/** All SQL of metric queries over the sample store and its rollups. */
@Injectable()
export class MetricsQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The host's series with these names whose labels hold every matcher (`""` means the label is absent). */
  async findSeries(
    scope: HostScope,
    names: string[],
    matchers: Record<string, string>,
  ): Promise<SeriesRef[]> {
    const present = Object.fromEntries(Object.entries(matchers).filter(([, value]) => value !== ''));
    const absent = Object.keys(matchers).filter((key) => matchers[key] === '');
    return this.dataSource.query(
      `SELECT se."id", se."name", se."labels" FROM "ingest"."series" se
       WHERE se."host_key" = $2 AND se."name" = ANY($3::text[]) AND se."labels" @> $4::jsonb
         AND NOT (se."labels" ?| $5::text[]) AND ${OWNED}
       ORDER BY se."name" COLLATE "C", se."labels_key" COLLATE "C"`,
      [scope.tenantId, scope.hostKey, names, JSON.stringify(present), absent],
    );
  }

  rawPoints(scope: HostScope, query: BucketQuery): Promise<SeriesPointsRow[]> {
    return this.dataSource.query(RAW_POINTS_SQL, this.bucketParameters(scope, query));
  }

  /** `unitSeconds` is the rollup's bucket width: a step of exactly one bucket needs no merging. */
  rollupPoints(
    scope: HostScope,
    table: RollupTable,
    query: BucketQuery & { unitSeconds: number },
  ): Promise<SeriesPointsRow[]> {
    const sql = rollupPointsSql(table, query.stepSeconds !== query.unitSeconds);
    return this.dataSource.query(sql, this.bucketParameters(scope, query));
  }

  async latest(scope: HostScope, names: string[] | undefined): Promise<LatestRow[]> {
    return this.dataSource.query(
      `SELECT se."name", se."labels", n."time", n."value"
       FROM (${NEWEST_VALUES} WHERE l."host_key" = $2 AND ${OWNED} ORDER BY u."series_id", l."time" DESC) n
       JOIN "ingest"."series" se ON se."id" = n."series_id"
       WHERE $3::text[] IS NULL OR se."name" = ANY($3::text[])
       ORDER BY se."name" COLLATE "C", se."labels_key" COLLATE "C"`,
      [scope.tenantId, scope.hostKey, names ?? null],
    );
  }

  async names(scope: HostScope): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT se."name" COLLATE "C" AS "name" FROM "ingest"."series" se
       WHERE se."host_key" = $2 AND ${OWNED} ORDER BY 1`,
      [scope.tenantId, scope.hostKey],
    );
    return rows.map((row) => row.name);
  }

  /** How many series the export would hold and the bytes of their names, labels and host names. */
  async exportSize(
    tenantId: TenantId,
    hostIds: string[] | undefined,
  ): Promise<{ count: number; bytes: number }> {
    const [row]: { count: string; bytes: string }[] = await this.dataSource.query(
      `SELECT count(*) AS "count",
              coalesce(sum(octet_length(h."host_id") + octet_length(h."name") + octet_length(se."name")
                + octet_length(se."labels"::text)), 0) AS "bytes"
       FROM "ingest"."hosts" h JOIN "ingest"."series" se ON se."host_key" = h."key"
       WHERE ${EXPORTED_HOSTS}`,
      [tenantId, hostIds ?? null],
    );
    return { count: Number(row.count), bytes: Number(row.bytes) };
  }

  /**
   * The newest value of every series of the tenant's (chosen) hosts, in one pass without sorting: the
   * few series that sit in several sets are settled here, newest row first.
   */
  async exportLatest(tenantId: TenantId, hostIds: string[] | undefined): Promise<ExportRow[]> {
    const cells: ExportCell[] = await this.dataSource.query(
      `SELECT u."series_id" AS "seriesId", h."host_id" AS "hostId", h."name" AS "hostName", se."name",
              se."labels", date_part('epoch', l."time") AS "seconds", u."value"
       FROM "ingest"."hosts" h
       JOIN "ingest"."latest" l ON l."host_key" = h."key"
       JOIN "ingest"."series_sets" ss ON ss."id" = l."set_id"
       CROSS JOIN LATERAL unnest(ss."series_ids", l."values") AS u("series_id", "value")
       JOIN "ingest"."series" se ON se."id" = u."series_id"
       WHERE ${EXPORTED_HOSTS}`,
      [tenantId, hostIds ?? null],
    );
    const newest = new Map<number, ExportCell>();
    for (const cell of cells) {
      const seen = newest.get(cell.seriesId);
      if (!seen || seen.seconds < cell.seconds) newest.set(cell.seriesId, cell);
    }
    // The series of one report share its time: each distinct time is formatted once.
    const times = new Map<number, string>();
    const rows: ExportRow[] = [];
    for (const { hostId, hostName, name, labels, seconds, value } of newest.values()) {
      let time = times.get(seconds);
      if (time === undefined) times.set(seconds, (time = new Date(seconds * 1000).toISOString()));
      rows.push({ hostId, hostName, name, labels, time, value });
    }
    return rows;
  }

  /** Up to `limit` series after `after`, with their newest values; the caller's tenant only. */
  exportPage(tenantId: TenantId, query: ExportPageQuery): Promise<ExportPageRow[]> {
    return this.dataSource.query(EXPORT_PAGE_SQL, [
      tenantId,
      query.hostIds ?? null,
      query.after?.family ?? null,
      query.after?.seriesId ?? 0,
      query.limit,
    ]);
  }

  private bucketParameters(scope: HostScope, query: BucketQuery): unknown[] {
    return [scope.tenantId, scope.hostKey, query.seriesIds, query.stepSeconds, query.from, query.to];
  }
}
