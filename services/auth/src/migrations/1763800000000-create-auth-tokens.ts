import type { MigrationInterface, QueryRunner } from 'typeorm';

const tokenColumns = `
  "id" uuid PRIMARY KEY,
  "tenant_id" text NOT NULL,
  "name" text NOT NULL,
  "prefix" text NOT NULL UNIQUE,
  "hash" bytea NOT NULL,
  "created_by" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "last_used_at" timestamptz,
  "revoked_at" timestamptz`;

/** API tokens (role-scoped, optional expiry) and ingest tokens (write-only), stored as SHA-256 hashes. */
export class CreateAuthTokens1763800000000 implements MigrationInterface {
  name = 'CreateAuthTokens1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."api_tokens" (${tokenColumns},
        "role" text NOT NULL CHECK ("role" IN ('owner', 'admin', 'editor', 'observer')),
        "expires_at" timestamptz
      )`);
    await queryRunner.query(`CREATE TABLE "auth"."ingest_tokens" (${tokenColumns})`);
    for (const table of ['api_tokens', 'ingest_tokens']) {
      await queryRunner.query(
        `CREATE INDEX "${table}_tenant" ON "auth"."${table}" ("tenant_id", "created_at" DESC)`,
      );
      await queryRunner.query(
        `CREATE UNIQUE INDEX "${table}_active_name" ON "auth"."${table}" ("tenant_id", "name") WHERE "revoked_at" IS NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."ingest_tokens"`);
    await queryRunner.query(`DROP TABLE "auth"."api_tokens"`);
  }
}
