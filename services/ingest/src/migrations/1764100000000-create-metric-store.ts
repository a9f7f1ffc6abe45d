import { timescaleAvailable } from '@optralis/db';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hosts, the series dictionary and the sample store (see services/ingest/README.md, "Storage").
 * Samples are one row per report: `values[i]` belongs to `series_sets.series_ids[i]`.
 * Plain PostgreSQL gets range partitions (created and dropped by PartitionService);
 * TimescaleDB gets hypertables, compression and retention policies instead.
 */
export class CreateMetricStore1764100000000 implements MigrationInterface {
  name = 'CreateMetricStore1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ingest"."hosts" (
        "key" serial PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "host_id" text NOT NULL,
        "name" text NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "tags" text[] NOT NULL DEFAULT '{}',
        "reported_tags" text[] NOT NULL DEFAULT '{}',
        "source" text NOT NULL,
        "inventory" jsonb NOT NULL DEFAULT '{}',
        "inventory_hash" text,
        "inventory_updated_at" timestamptz,
        "status" text NOT NULL DEFAULT 'online' CHECK ("status" IN ('online', 'offline')),
        "status_changed_at" timestamptz NOT NULL DEFAULT now(),
        "interval_seconds" real NOT NULL DEFAULT 10,
        -- Gaps measured so far: the first one replaces the default, later ones feed the moving average.
        "interval_samples" integer NOT NULL DEFAULT 0,
        "first_seen" timestamptz NOT NULL DEFAULT now(),
        "last_seen" timestamptz NOT NULL DEFAULT now(),
        "last_report_time" timestamptz,
        "series_count" integer NOT NULL DEFAULT 0,
        "series_dropped" bigint NOT NULL DEFAULT 0,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("tenant_id", "host_id")
      ) WITH (fillfactor = 50)`);
    await queryRunner.query(
      `CREATE INDEX "hosts_tenant_name" ON "ingest"."hosts" ("tenant_id", "name", "host_id")`,
    );
    await queryRunner.query(`CREATE INDEX "hosts_tags" ON "ingest"."hosts" USING gin ("tags")`);
    await queryRunner.query(
      `CREATE INDEX "hosts_reported_tags" ON "ingest"."hosts" USING gin ("reported_tags")`,
    );
    // No index on last_seen: every report moves it, and an indexed column would make each of those updates
    // non-HOT (~5x slower registry writes, measured). The offline sweep scans the table instead.

    await queryRunner.query(`
      CREATE TABLE "ingest"."series" (
        "id" serial PRIMARY KEY,
        "host_key" integer NOT NULL REFERENCES "ingest"."hosts" ("key") ON DELETE CASCADE,
        "name" text NOT NULL,
        "labels" jsonb NOT NULL DEFAULT '{}',
        "labels_key" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("host_key", "name", "labels_key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "ingest"."series_sets" (
        "id" serial PRIMARY KEY,
        "host_key" integer NOT NULL REFERENCES "ingest"."hosts" ("key") ON DELETE CASCADE,
        "hash" text NOT NULL,
        "series_ids" integer[] NOT NULL,
        UNIQUE ("host_key", "hash")
      )`);
    await queryRunner.query(
      `CREATE INDEX "series_sets_members" ON "ingest"."series_sets" USING gin ("series_ids")`,
    );

    // The newest row of each (host, series set): latest values and the Prometheus export read it.
    await queryRunner.query(`
      CREATE TABLE "ingest"."latest" (
        "host_key" integer NOT NULL,
        "set_id" integer NOT NULL,
        "time" timestamptz NOT NULL,
        "values" double precision[] NOT NULL,
        PRIMARY KEY ("host_key", "set_id")
      )`);

    // Committed write batches whose rows the rollup job has not folded in yet.
    await queryRunner.query(`
      CREATE TABLE "ingest"."write_batches" (
        "id" bigserial PRIMARY KEY,
        "min_time" timestamptz NOT NULL,
        "max_time" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);

    // Host events written in the same transaction as the change, published by the relay.
    await queryRunner.query(`
      CREATE TABLE "ingest"."event_outbox" (
        "id" bigserial PRIMARY KEY,
        "msg_id" text NOT NULL UNIQUE,
        "payload" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text
      )`);

    const timescale = await timescaleAvailable(queryRunner);
    if (timescale) await this.createTimescaleStore(queryRunner);
    else await this.createPartitionedStore(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'rollup_1h',
      'rollup_1m',
      'samples',
      'event_outbox',
      'write_batches',
      'latest',
      'series_sets',
      'series',
      'hosts',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS "ingest"."${table}" CASCADE`);
    }
  }

  private async createPartitionedStore(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ingest"."samples" (
        "host_key" integer NOT NULL,
        "time" timestamptz NOT NULL,
        "set_id" integer NOT NULL,
        "batch_id" bigint NOT NULL,
        "values" double precision[] NOT NULL
      ) PARTITION BY RANGE ("time")`);
    await this.createSampleIndexes(queryRunner);
    for (const table of ['rollup_1m', 'rollup_1h']) {
      await queryRunner.query(`${this.rollupTable(table)} PARTITION BY RANGE ("bucket")`);
    }
  }

  private async createTimescaleStore(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS timescaledb`);
    await queryRunner.query(`
      CREATE TABLE "ingest"."samples" (
        "host_key" integer NOT NULL,
        "time" timestamptz NOT NULL,
        "set_id" integer NOT NULL,
        "batch_id" bigint NOT NULL,
        "values" double precision[] NOT NULL
      )`);
    await queryRunner.query(
      `SELECT create_hypertable('ingest.samples', 'time', chunk_time_interval => interval '1 day')`,
    );
    await this.createSampleIndexes(queryRunner);
    await queryRunner.query(`
      ALTER TABLE "ingest"."samples" SET (
        timescaledb.compress,
        timescaledb.compress_segmentby = 'host_key, set_id',
        timescaledb.compress_orderby = 'time DESC'
      )`);
    await queryRunner.query(`SELECT add_compression_policy('ingest.samples', interval '1 day')`);
    await queryRunner.query(this.rollupTable('rollup_1m'));
    await queryRunner.query(
      `SELECT create_hypertable('ingest.rollup_1m', 'bucket', chunk_time_interval => interval '1 day')`,
    );
    // The 1 h rollup is a continuous aggregate of the 1 min one (the array layout itself cannot be aggregated by one).
    await queryRunner.query(`
      CREATE MATERIALIZED VIEW "ingest"."rollup_1h"
      WITH (timescaledb.continuous) AS
      SELECT "series_id",
             time_bucket(interval '1 hour', "bucket") AS "bucket",
             min("min") AS "min",
             max("max") AS "max",
             sum("sum") AS "sum",
             sum("count")::bigint AS "count",
             last("last", "last_time") AS "last",
             max("last_time") AS "last_time"
      FROM "ingest"."rollup_1m"
      GROUP BY "series_id", time_bucket(interval '1 hour', "bucket")
      WITH NO DATA`);
    await queryRunner.query(`
      SELECT add_continuous_aggregate_policy('ingest.rollup_1h',
        start_offset => interval '3 days', end_offset => interval '1 minute',
        schedule_interval => interval '5 minutes')`);
  }

  private async createSampleIndexes(queryRunner: QueryRunner): Promise<void> {
    // Unique per (host, time, series set): a redelivered report is stored once; it also serves host range queries.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "samples_host_time_set" ON "ingest"."samples" ("host_key", "time", "set_id")`,
    );
    await queryRunner.query(`CREATE INDEX "samples_time_brin" ON "ingest"."samples" USING brin ("time")`);
    await queryRunner.query(
      `CREATE INDEX "samples_batch_brin" ON "ingest"."samples" USING brin ("batch_id")`,
    );
  }

  private rollupTable(table: string): string {
    return `
      CREATE TABLE "ingest"."${table}" (
        "series_id" integer NOT NULL,
        "bucket" timestamptz NOT NULL,
        "min" double precision NOT NULL,
        "max" double precision NOT NULL,
        "sum" double precision NOT NULL,
        "count" bigint NOT NULL,
        "last" double precision NOT NULL,
        "last_time" timestamptz NOT NULL,
        PRIMARY KEY ("series_id", "bucket")
      )`;
  }
}
