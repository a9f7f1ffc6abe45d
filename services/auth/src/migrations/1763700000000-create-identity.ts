import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, users, memberships, invitations, sessions with their refresh tokens, and signing keys. */
export class CreateIdentity1763700000000 implements MigrationInterface {
  name = 'CreateIdentity1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."tenants" (
        "id" uuid PRIMARY KEY,
        "slug" text NOT NULL UNIQUE,
        "name" text NOT NULL,
        "settings" jsonb NOT NULL DEFAULT '{"mfaRequiredForAdmins": false, "passwordExpiryDays": null}',
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "auth"."users" (
        "id" uuid PRIMARY KEY,
        "email" text NOT NULL,
        "password_hash" text,
        "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
        "must_change_password" boolean NOT NULL DEFAULT false,
        "password_set_at" timestamptz,
        "failed_login_count" integer NOT NULL DEFAULT 0,
        "locked_until" timestamptz,
        "mfa_enabled" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_unique" ON "auth"."users" (lower("email"))`);
    await queryRunner.query(`
      CREATE TABLE "auth"."memberships" (
        "user_id" uuid NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "tenant_id" uuid NOT NULL REFERENCES "auth"."tenants" ("id") ON DELETE CASCADE,
        "role" text NOT NULL CHECK ("role" IN ('owner', 'admin', 'editor', 'observer')),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("user_id", "tenant_id")
      )`);
    await queryRunner.query(`CREATE INDEX "memberships_tenant" ON "auth"."memberships" ("tenant_id")`);
    await queryRunner.query(`
      CREATE TABLE "auth"."invitations" (
        "token_hash" text PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES "auth"."tenants" ("id") ON DELETE CASCADE,
        "role" text NOT NULL CHECK ("role" IN ('owner', 'admin', 'editor', 'observer')),
        "expires_at" timestamptz NOT NULL,
        "accepted_at" timestamptz,
        "accepted_by" uuid
      )`);
    await queryRunner.query(`
      CREATE TABLE "auth"."sessions" (
        "id" uuid PRIMARY KEY,
        "user_id" uuid NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "tenant_id" uuid NOT NULL REFERENCES "auth"."tenants" ("id") ON DELETE CASCADE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "revoked_reason" text
      )`);
    await queryRunner.query(`CREATE INDEX "sessions_user" ON "auth"."sessions" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "auth"."refresh_tokens" (
        "token_hash" text PRIMARY KEY,
        "session_id" uuid NOT NULL REFERENCES "auth"."sessions" ("id") ON DELETE CASCADE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "rotated_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX "refresh_tokens_session" ON "auth"."refresh_tokens" ("session_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "auth"."signing_keys" (
        "kid" text PRIMARY KEY,
        "public_jwk" jsonb NOT NULL,
        "private_key" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "retired_at" timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['signing_keys', 'refresh_tokens', 'sessions', 'invitations', 'memberships']) {
      await queryRunner.query(`DROP TABLE "auth"."${table}"`);
    }
    await queryRunner.query(`DROP TABLE "auth"."users"`);
    await queryRunner.query(`DROP TABLE "auth"."tenants"`);
  }
}
