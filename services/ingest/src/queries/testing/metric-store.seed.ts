import { randomUUID } from 'node:crypto';

import type { DataSource } from 'typeorm';

export interface HostSeed {
  tenantId: string;
  hostId?: string;
  name?: string;
  description?: string;
  tags?: string[];
  reportedTags?: string[];
  status?: 'online' | 'offline';
  source?: string;
  inventory?: Record<string, unknown>;
  seriesCount?: number;
}

export interface SeededHost {
  key: number;
  tenantId: string;
  hostId: string;
  name: string;
}

export interface SeriesSeed {
  name: string;
  labels?: Record<string, string>;
}

export interface RollupSeed {
  seriesId: number;
  bucket: Date;
  sum: number;
  count: number;
  min?: number;
  max?: number;
  last?: number;
}

export type PartitionedTable = 'samples' | 'rollup_1m' | 'rollup_1h';

const DAY_MS = 86_400_000;

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([left], [right]) => (left < right ? -1 : 1)));
}

/**
 * Writes hosts, series, sample rows, rollups and latest rows straight into the `ingest` schema, the way
 * the writer lays them out, so queries can be tested without it. Daily partitions are created on demand.
 */
export class MetricStoreSeed {
  private readonly partitions = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  async host(seed: HostSeed): Promise<SeededHost> {
    const hostId = seed.hostId ?? randomUUID();
    const name = seed.name ?? `host-${hostId.slice(0, 8)}`;
    const [row]: { key: number }[] = await this.dataSource.query(
      `INSERT INTO "ingest"."hosts" ("tenant_id", "host_id", "name", "description", "tags", "reported_tags",
         "status", "source", "inventory", "series_count")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING "key"`,
      [
        seed.tenantId,
        hostId,
        name,
        seed.description ?? '',
        seed.tags ?? [],
        seed.reportedTags ?? [],
        seed.status ?? 'online',
        seed.source ?? 'agent',
        JSON.stringify(seed.inventory ?? {}),
        seed.seriesCount ?? 0,
      ],
    );
    return { key: row.key, tenantId: seed.tenantId, hostId, name };
  }

  /** The series (created when new) and one series set holding them in this order. */
  async seriesSet(hostKey: number, series: SeriesSeed[]): Promise<{ setId: number; seriesIds: number[] }> {
    const seriesIds: number[] = [];
    for (const { name, labels = {} } of series) {
      const [row]: { id: number }[] = await this.dataSource.query(
        `INSERT INTO "ingest"."series" ("host_key", "name", "labels", "labels_key") VALUES ($1, $2, $3, $4)
         ON CONFLICT ("host_key", "name", "labels_key") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id"`,
        [hostKey, name, JSON.stringify(labels), labelsKey(labels)],
      );
      seriesIds.push(row.id);
    }
    const [set]: { id: number }[] = await this.dataSource.query(
      `INSERT INTO "ingest"."series_sets" ("host_key", "hash", "series_ids") VALUES ($1, $2, $3)
       ON CONFLICT ("host_key", "hash") DO UPDATE SET "hash" = EXCLUDED."hash" RETURNING "id"`,
      [hostKey, seriesIds.join(','), seriesIds],
    );
    return { setId: set.id, seriesIds };
  }

  /** One sample row per report: `values[i]` belongs to the set's `series_ids[i]`. */
  async samples(
    hostKey: number,
    setId: number,
    rows: { time: Date; values: (number | null)[] }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.ensurePartitions(
      'samples',
      rows.map((row) => row.time),
    );
    await this.dataSource.query(
      `INSERT INTO "ingest"."samples" ("host_key", "time", "set_id", "batch_id", "values")
       SELECT $1, r."time", $2, 1, ARRAY(SELECT jsonb_array_elements_text(r."values")::float8)
       FROM jsonb_to_recordset($3::jsonb) AS r("time" timestamptz, "values" jsonb)`,
      [hostKey, setId, JSON.stringify(rows)],
    );
  }

  async rollups(table: 'rollup_1m' | 'rollup_1h', rows: RollupSeed[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ensurePartitions(
      table,
      rows.map((row) => row.bucket),
    );
    const full = rows.map((row) => {
      const average = row.sum / row.count;
      return { min: average, max: average, last: average, ...row, lastTime: row.bucket };
    });
    await this.dataSource.query(
      `INSERT INTO "ingest"."${table}" ("series_id", "bucket", "min", "max", "sum", "count", "last", "last_time")
       SELECT r."seriesId", r."bucket", r."min", r."max", r."sum", r."count", r."last", r."lastTime"
       FROM jsonb_to_recordset($1::jsonb) AS r("seriesId" int, "bucket" timestamptz, "min" float8,
         "max" float8, "sum" float8, "count" bigint, "last" float8, "lastTime" timestamptz)`,
      [JSON.stringify(full)],
    );
  }

  async latest(hostKey: number, setId: number, time: Date, values: number[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "ingest"."latest" ("host_key", "set_id", "time", "values") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("host_key", "set_id") DO UPDATE SET "time" = EXCLUDED."time", "values" = EXCLUDED."values"`,
      [hostKey, setId, time, values],
    );
  }

  /** Daily range partitions (UTC) covering these times, as the partition job would have made them. */
  async ensurePartitions(table: PartitionedTable, times: Date[]): Promise<void> {
    const days = new Set(times.map((time) => Math.floor(time.getTime() / DAY_MS) * DAY_MS));
    for (const day of days) {
      const start = new Date(day);
      const name = `${table}_seed_${start.toISOString().slice(0, 10).replaceAll('-', '')}`;
      if (this.partitions.has(name)) continue;
      await this.dataSource.query(
        `CREATE TABLE IF NOT EXISTS "ingest"."${name}" PARTITION OF "ingest"."${table}"
         FOR VALUES FROM ('${start.toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
      );
      this.partitions.add(name);
    }
  }
}
