import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What evaluation produces: alerts and their transitions, the notification outbox, escalations, the
 * ALERTS event outbox, and the evaluator's checkpointed state (baselines, forecast windows, host presence,
 * the stream position each partition's state covers).
 */
export class CreateAlerts1764200000001 implements MigrationInterface {
  name = 'CreateAlerts1764200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "alerting"."alerts" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "rule_id" uuid NOT NULL,
        "rule_name" text NOT NULL,
        "rule_kind" text NOT NULL,
        "host_id" text NOT NULL,
        "host_name" text NOT NULL,
        "metric" text,
        "labels" jsonb NOT NULL DEFAULT '{}',
        "dedup_key" text NOT NULL,
        "severity" text NOT NULL CHECK ("severity" IN ('info', 'warning', 'critical')),
        "state" text NOT NULL CHECK ("state" IN ('pending', 'firing', 'acknowledged', 'resolved', 'suppressed')),
        "flapping" boolean NOT NULL DEFAULT false,
        "value" float8,
        "explanation" jsonb,
        "summary" text NOT NULL DEFAULT '',
        "partition" integer NOT NULL,
        "escalation_policy_id" uuid,
        "channel_ids" uuid[] NOT NULL DEFAULT '{}',
        "started_at" timestamptz NOT NULL,
        "firing_at" timestamptz,
        "acknowledged_at" timestamptz,
        "acknowledged_by" text,
        "resolved_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // One open alert per (rule, host, series): the dedup key.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "alerts_open_dedup_idx" ON "alerting"."alerts" ("tenant_id", "dedup_key") WHERE "state" <> 'resolved'`,
    );
    await queryRunner.query(
      `CREATE INDEX "alerts_tenant_started_idx" ON "alerting"."alerts" ("tenant_id", "started_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "alerts_open_partition_idx" ON "alerting"."alerts" ("partition") WHERE "state" <> 'resolved'`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."alert_transitions" (
        "id" bigserial PRIMARY KEY,
        "alert_id" uuid NOT NULL REFERENCES "alerting"."alerts" ("id") ON DELETE CASCADE,
        "tenant_id" text NOT NULL,
        "dedup_key" text NOT NULL,
        "from_state" text,
        "to_state" text NOT NULL,
        "severity" text NOT NULL,
        "value" float8,
        "summary" text NOT NULL DEFAULT '',
        "actor" text,
        "time" timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "alert_transitions_alert_idx" ON "alerting"."alert_transitions" ("alert_id", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "alert_transitions_dedup_idx" ON "alerting"."alert_transitions" ("tenant_id", "dedup_key", "time")`,
    );
    // The newest stream sequence whose effect on a dedup key is committed: a replay after a crash skips it.
    await queryRunner.query(`
      CREATE TABLE "alerting"."dedup_positions" (
        "tenant_id" text NOT NULL,
        "dedup_key" text NOT NULL,
        "stream_seq" bigint NOT NULL,
        PRIMARY KEY ("tenant_id", "dedup_key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "alerting"."deliveries" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "alert_id" uuid,
        "channel_id" uuid NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('firing', 'resolved', 'acknowledged', 'escalation', 'test')),
        -- (alert, transition, channel): a redelivered transition cannot notify twice.
        "idempotency_key" text NOT NULL UNIQUE,
        "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'sending', 'delivered', 'failed')),
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "lease_until" timestamptz,
        "last_error" text,
        "last_status_code" integer,
        "payload" jsonb NOT NULL,
        -- When the sample that caused it was taken: detection latency is measured from here.
        "sample_time" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_due_idx" ON "alerting"."deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending')`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliveries_alert_idx" ON "alerting"."deliveries" ("tenant_id", "alert_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliveries_channel_idx" ON "alerting"."deliveries" ("tenant_id", "channel_id", "created_at" DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."escalations" (
        "alert_id" uuid PRIMARY KEY REFERENCES "alerting"."alerts" ("id") ON DELETE CASCADE,
        "tenant_id" text NOT NULL,
        "policy_id" uuid NOT NULL,
        "step_index" integer NOT NULL DEFAULT 0,
        "round" integer NOT NULL DEFAULT 0,
        "base_time" timestamptz NOT NULL,
        "next_at" timestamptz NOT NULL,
        "state" text NOT NULL DEFAULT 'active' CHECK ("state" IN ('active', 'stopped', 'done'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "escalations_due_idx" ON "alerting"."escalations" ("next_at") WHERE "state" = 'active'`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."event_outbox" (
        "id" bigserial PRIMARY KEY,
        "event" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "alerting"."metric_baselines" (
        "tenant_id" text NOT NULL,
        "host_id" text NOT NULL,
        "series_key" text NOT NULL,
        "alpha" float8 NOT NULL,
        "metric" text NOT NULL,
        "labels" jsonb NOT NULL DEFAULT '{}',
        "partition" integer NOT NULL,
        "ewma_mean" float8 NOT NULL,
        "ewma_variance" float8 NOT NULL,
        "sample_count" bigint NOT NULL,
        "last_sample_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "host_id", "series_key", "alpha")
      )`);
    await queryRunner.query(
      `CREATE INDEX "metric_baselines_partition_idx" ON "alerting"."metric_baselines" ("partition")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."forecast_windows" (
        "tenant_id" text NOT NULL,
        "rule_id" uuid NOT NULL,
        "host_id" text NOT NULL,
        "series_key" text NOT NULL,
        "partition" integer NOT NULL,
        "points" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("tenant_id", "rule_id", "host_id", "series_key")
      )`);
    await queryRunner.query(
      `CREATE INDEX "forecast_windows_partition_idx" ON "alerting"."forecast_windows" ("partition")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."host_presence" (
        "tenant_id" text NOT NULL,
        "host_id" text NOT NULL,
        "host_name" text NOT NULL,
        "tags" text[] NOT NULL DEFAULT '{}',
        "partition" integer NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "interval_seconds" float8 NOT NULL DEFAULT 10,
        PRIMARY KEY ("tenant_id", "host_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "host_presence_partition_idx" ON "alerting"."host_presence" ("partition")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."partition_checkpoints" (
        "partition" integer PRIMARY KEY,
        "stream_seq" bigint NOT NULL,
        "instance_id" text NOT NULL,
        "checkpointed_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'partition_checkpoints',
      'host_presence',
      'forecast_windows',
      'metric_baselines',
      'event_outbox',
      'escalations',
      'deliveries',
      'dedup_positions',
      'alert_transitions',
      'alerts',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS "alerting"."${table}"`);
    }
  }
}
