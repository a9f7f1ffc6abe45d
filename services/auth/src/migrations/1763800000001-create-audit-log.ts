import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit journal: one chain per tenant, whose head row serialises
 * concurrent appends (SELECT … FOR UPDATE) and remembers the last hash so a deleted tail shows.
 */
export class CreateAuditLog1763800000001 implements MigrationInterface {
  name = 'CreateAuditLog1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."audit_log" (
        "id" text PRIMARY KEY,
        "seq" bigserial NOT NULL UNIQUE,
        "tenant_id" text NOT NULL,
        "time" timestamptz NOT NULL,
        "service" text NOT NULL,
        "actor" jsonb NOT NULL,
        "action" text NOT NULL,
        "target" jsonb,
        "outcome" text NOT NULL,
        "request_id" text,
        "ip" text,
        "data" jsonb NOT NULL,
        "prev_hash" text NOT NULL,
        "hash" text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "audit_log_tenant_seq" ON "auth"."audit_log" ("tenant_id", "seq")`);
    await queryRunner.query(
      `CREATE INDEX "audit_log_tenant_action" ON "auth"."audit_log" ("tenant_id", "action", "seq")`,
    );
    await queryRunner.query(`
      CREATE TABLE "auth"."audit_chain_heads" (
        "tenant_id" text PRIMARY KEY,
        "last_seq" bigint,
        "last_hash" text NOT NULL,
        "count" bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION "auth"."audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'auth.audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "auth"."audit_log"
      FOR EACH ROW EXECUTE FUNCTION "auth"."audit_log_refuse_change"()`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "auth"."audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION "auth"."audit_log_refuse_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."audit_chain_heads"`);
    await queryRunner.query(`DROP TABLE "auth"."audit_log"`);
    await queryRunner.query(`DROP FUNCTION "auth"."audit_log_refuse_change"()`);
  }
}
