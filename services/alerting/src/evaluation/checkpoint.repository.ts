import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { EwmaState } from './detectors/ewma';
import type { ForecastState } from './detectors/forecast';
import { baselineKey, forecastKey, hostKey, PartitionState, splitKey } from './partition-state';

/** Loads and saves a partition's evaluation state together with the stream position it covers. */
@Injectable()
export class CheckpointRepository {
  constructor(private readonly dataSource: DataSource) {}

  async load(partition: number): Promise<PartitionState> {
    const state = new PartitionState(partition);
    const [position] = (await this.dataSource.query(
      `SELECT "stream_seq" FROM "alerting"."partition_checkpoints" WHERE "partition" = $1`,
      [partition],
    )) as { stream_seq: string }[];
    state.lastSeq = position ? Number(position.stream_seq) : 0;
    const baselines: {
      tenant_id: string;
      host_id: string;
      series_key: string;
      alpha: number;
      ewma_mean: number;
      ewma_variance: number;
      sample_count: string;
      last_sample_at: Date;
    }[] = await this.dataSource.query(
      `SELECT "tenant_id", "host_id", "series_key", "alpha", "ewma_mean", "ewma_variance", "sample_count",
              "last_sample_at" FROM "alerting"."metric_baselines" WHERE "partition" = $1`,
      [partition],
    );
    for (const row of baselines) {
      state.baselines.set(baselineKey(row.tenant_id, row.host_id, row.alpha, row.series_key), {
        mean: row.ewma_mean,
        variance: row.ewma_variance,
        count: Number(row.sample_count),
        lastTime: row.last_sample_at.getTime(),
      });
    }
    const forecasts: {
      tenant_id: string;
      rule_id: string;
      host_id: string;
      series_key: string;
      points: ForecastState;
    }[] = await this.dataSource.query(
      `SELECT "tenant_id", "rule_id", "host_id", "series_key", "points" FROM "alerting"."forecast_windows"
          WHERE "partition" = $1`,
      [partition],
    );
    for (const row of forecasts) {
      state.forecasts.set(forecastKey(row.tenant_id, row.rule_id, row.host_id, row.series_key), row.points);
    }
    const hosts: {
      tenant_id: string;
      host_id: string;
      host_name: string;
      tags: string[];
      last_seen_at: Date;
      interval_seconds: number;
    }[] = await this.dataSource.query(
      `SELECT "tenant_id", "host_id", "host_name", "tags", "last_seen_at", "interval_seconds"
         FROM "alerting"."host_presence" WHERE "partition" = $1`,
      [partition],
    );
    for (const row of hosts) {
      state.hosts.set(hostKey(row.tenant_id, row.host_id), {
        tenantId: row.tenant_id,
        hostId: row.host_id,
        hostName: row.host_name,
        tags: row.tags,
        lastSeenAt: row.last_seen_at.getTime(),
        lastReportTime: 0,
        intervalSeconds: row.interval_seconds,
      });
    }
    return state;
  }

  /** Writes what changed since the last checkpoint and the sequence it covers, in one transaction. */
  async save(state: PartitionState, instanceId: string): Promise<number> {
    const baselines = [...state.dirtyBaselines].flatMap((key) => {
      const baseline = state.baselines.get(key);
      return baseline ? [[key, baseline] as const] : [];
    });
    const forecasts = [...state.dirtyForecasts].flatMap((key) => {
      const window = state.forecasts.get(key);
      return window ? [[key, JSON.stringify(window)] as const] : [];
    });
    const hosts = [...state.dirtyHosts].flatMap((key) => {
      const host = state.hosts.get(key);
      return host ? [host] : [];
    });
    const seq = state.lastSeq;
    const dirty = {
      baselines: [...state.dirtyBaselines],
      forecasts: [...state.dirtyForecasts],
      hosts: [...state.dirtyHosts],
    };
    state.dirtyBaselines.clear();
    state.dirtyForecasts.clear();
    state.dirtyHosts.clear();
    // A failed write puts its keys back: the next checkpoint must not move `stream_seq` past them.
    const restoreDirty = () => {
      for (const key of dirty.baselines) state.dirtyBaselines.add(key);
      for (const key of dirty.forecasts) state.dirtyForecasts.add(key);
      for (const key of dirty.hosts) state.dirtyHosts.add(key);
    };
    await this.dataSource
      .transaction(async (manager) => {
        if (baselines.length > 0)
          await manager.query(BASELINES_UPSERT, baselineColumns(baselines, state.partition));
        if (forecasts.length > 0) {
          const parts = forecasts.map(([key, points]) => [...splitKey(key), points]);
          await manager.query(FORECASTS_UPSERT, [
            parts.map((part) => part[0]),
            parts.map((part) => part[1]),
            parts.map((part) => part[2]),
            parts.map((part) => part[3]),
            state.partition,
            parts.map((part) => part[4]),
          ]);
        }
        if (hosts.length > 0) {
          await manager.query(HOSTS_UPSERT, [
            hosts.map((host) => host.tenantId),
            hosts.map((host) => host.hostId),
            hosts.map((host) => host.hostName),
            hosts.map((host) => JSON.stringify(host.tags)),
            state.partition,
            hosts.map((host) => new Date(host.lastSeenAt)),
            hosts.map((host) => host.intervalSeconds),
          ]);
        }
        await manager.query(
          `INSERT INTO "alerting"."partition_checkpoints" ("partition", "stream_seq", "instance_id", "checkpointed_at")
         VALUES ($1, $2, $3, now()) ON CONFLICT ("partition") DO UPDATE
           SET "stream_seq" = EXCLUDED."stream_seq", "instance_id" = EXCLUDED."instance_id", "checkpointed_at" = now()`,
          [state.partition, seq, instanceId],
        );
      })
      .catch((error: unknown) => {
        restoreDirty();
        throw error;
      });
    return baselines.length + forecasts.length + hosts.length;
  }
}

function baselineColumns(baselines: (readonly [string, EwmaState])[], partition: number): unknown[] {
  const parts = baselines.map(([key]) => splitKey(key));
  return [
    parts.map((part) => part[0]),
    parts.map((part) => part[1]),
    parts.map((part) => part[3]),
    parts.map((part) => Number(part[2])),
    parts.map((part) => part[3]!.split('{')[0]),
    partition,
    baselines.map(([, baseline]) => baseline.mean),
    baselines.map(([, baseline]) => baseline.variance),
    baselines.map(([, baseline]) => baseline.count),
    baselines.map(([, baseline]) => new Date(baseline.lastTime)),
  ];
}

const BASELINES_UPSERT = `INSERT INTO "alerting"."metric_baselines" ("tenant_id", "host_id", "series_key", "alpha",
    "metric", "partition", "ewma_mean", "ewma_variance", "sample_count", "last_sample_at", "updated_at")
  SELECT t, h, s, a, m, $6, mean, variance, count, last, now()
    FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $7::float8[], $8::float8[],
                $9::bigint[], $10::timestamptz[]) AS u(t, h, s, a, m, mean, variance, count, last)
  ON CONFLICT ("tenant_id", "host_id", "series_key", "alpha") DO UPDATE SET "ewma_mean" = EXCLUDED."ewma_mean",
    "ewma_variance" = EXCLUDED."ewma_variance", "sample_count" = EXCLUDED."sample_count",
    "last_sample_at" = EXCLUDED."last_sample_at", "partition" = EXCLUDED."partition", "updated_at" = now()`;

const FORECASTS_UPSERT = `INSERT INTO "alerting"."forecast_windows" ("tenant_id", "rule_id", "host_id", "series_key",
    "partition", "points", "updated_at")
  SELECT t, r::uuid, h, s, $5, p::jsonb, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[])
    AS u(t, r, h, s, p)
  ON CONFLICT ("tenant_id", "rule_id", "host_id", "series_key") DO UPDATE SET "points" = EXCLUDED."points",
    "partition" = EXCLUDED."partition", "updated_at" = now()`;

const HOSTS_UPSERT = `INSERT INTO "alerting"."host_presence" ("tenant_id", "host_id", "host_name", "tags", "partition",
    "last_seen_at", "interval_seconds")
  SELECT t, h, n, ARRAY(SELECT jsonb_array_elements_text(g::jsonb)), $5, l, i
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::timestamptz[], $7::float8[]) AS u(t, h, n, g, l, i)
  ON CONFLICT ("tenant_id", "host_id") DO UPDATE SET "host_name" = EXCLUDED."host_name", "tags" = EXCLUDED."tags",
    "partition" = EXCLUDED."partition", "last_seen_at" = GREATEST("host_presence"."last_seen_at", EXCLUDED."last_seen_at"),
    "interval_seconds" = EXCLUDED."interval_seconds"`;
