import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SSO providers per tenant and the pending logins (OIDC state, SAML request id) they are waiting for. */
export class CreateSso1764000000000 implements MigrationInterface {
  name = 'CreateSso1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."sso_providers" (
        "id" uuid PRIMARY KEY,
        "tenant_id" uuid NOT NULL REFERENCES "auth"."tenants" ("id") ON DELETE CASCADE,
        "name" text NOT NULL,
        "type" text NOT NULL CHECK ("type" IN ('oidc', 'saml')),
        "enabled" boolean NOT NULL DEFAULT true,
        "config" jsonb NOT NULL,
        "sealed_secret" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("tenant_id", "name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "auth"."sso_pending_logins" (
        "key" text PRIMARY KEY,
        "provider_id" uuid NOT NULL REFERENCES "auth"."sso_providers" ("id") ON DELETE CASCADE,
        "data" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "sso_pending_logins_expires" ON "auth"."sso_pending_logins" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."sso_pending_logins"`);
    await queryRunner.query(`DROP TABLE "auth"."sso_providers"`);
  }
}
