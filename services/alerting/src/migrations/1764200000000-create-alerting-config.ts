import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What people configure: rules, maintenance windows, escalation policies, channels and per-tenant settings. */
export class CreateAlertingConfig1764200000000 implements MigrationInterface {
  name = 'CreateAlertingConfig1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "alerting"."rules" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "name" text NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('threshold', 'host_offline', 'anomaly', 'forecast')),
        "enabled" boolean NOT NULL DEFAULT true,
        "metric" text,
        -- The whole validated rule input (kind-specific fields included); columns above are for filtering.
        "definition" jsonb NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "rules_tenant_idx" ON "alerting"."rules" ("tenant_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."channels" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "name" text NOT NULL,
        "type" text NOT NULL CHECK ("type" IN ('email', 'slack', 'teams', 'discord', 'pagerduty', 'webhook')),
        "enabled" boolean NOT NULL DEFAULT true,
        "rate_limit_per_minute" integer NOT NULL DEFAULT 60,
        "send_resolved" boolean NOT NULL DEFAULT true,
        -- Non-secret config in clear; the secret fields sealed (AES-256-GCM, channel id as associated data).
        "config" jsonb NOT NULL,
        "sealed_secrets" text,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "channels_tenant_idx" ON "alerting"."channels" ("tenant_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."maintenance_windows" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "name" text NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "enabled" boolean NOT NULL DEFAULT true,
        "starts_at" timestamptz NOT NULL,
        "duration_minutes" integer NOT NULL,
        "rrule" text,
        "timezone" text NOT NULL DEFAULT 'UTC',
        "scope" jsonb NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "maintenance_windows_tenant_idx" ON "alerting"."maintenance_windows" ("tenant_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."escalation_policies" (
        "id" uuid PRIMARY KEY,
        "tenant_id" text NOT NULL,
        "name" text NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "steps" jsonb NOT NULL,
        "repeat" integer NOT NULL DEFAULT 0,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "escalation_policies_tenant_idx" ON "alerting"."escalation_policies" ("tenant_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "alerting"."tenant_settings" (
        "tenant_id" text PRIMARY KEY,
        "smtp" jsonb,
        "sealed_smtp_password" text,
        "anomaly" jsonb NOT NULL DEFAULT '{}',
        "flapping" jsonb NOT NULL DEFAULT '{}',
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'tenant_settings',
      'escalation_policies',
      'maintenance_windows',
      'channels',
      'rules',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS "alerting"."${table}"`);
    }
  }
}
