import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP secrets (sealed), recovery codes (hashed) and the attempts made with each MFA login token. */
export class CreateMfa1763900000000 implements MigrationInterface {
  name = 'CreateMfa1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."user_mfa" (
        "user_id" uuid PRIMARY KEY REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "sealed_secret" text NOT NULL,
        "confirmed_at" timestamptz,
        "last_used_step" bigint,
        "failed_count" integer NOT NULL DEFAULT 0,
        "locked_until" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "auth"."mfa_recovery_codes" (
        "user_id" uuid NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "code_hash" text NOT NULL,
        "used_at" timestamptz,
        PRIMARY KEY ("user_id", "code_hash")
      )`);
    await queryRunner.query(`
      CREATE TABLE "auth"."mfa_challenges" (
        "jti" text PRIMARY KEY,
        "user_id" uuid NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "tenant_id" uuid NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "consumed_at" timestamptz,
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "mfa_challenges_expiry" ON "auth"."mfa_challenges" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['mfa_challenges', 'mfa_recovery_codes', 'user_mfa']) {
      await queryRunner.query(`DROP TABLE "auth"."${table}"`);
    }
  }
}
