import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lifecycle writes are now committed behind evaluation, so a partition taken over must know which
 * transitions after its checkpoint were already committed before it replays: positions by partition.
 * Alerts keep their host's tags, so tag-scoped maintenance windows also pause escalations.
 */
export class DedupPositionPartitions1764200000002 implements MigrationInterface {
  name = 'DedupPositionPartitions1764200000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alerting"."dedup_positions" ADD COLUMN "partition" integer`);
    await queryRunner.query(
      `CREATE INDEX "dedup_positions_partition_seq" ON "alerting"."dedup_positions" ("partition", "stream_seq")`,
    );
    await queryRunner.query(
      `ALTER TABLE "alerting"."alerts" ADD COLUMN "host_tags" text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alerting"."alerts" DROP COLUMN IF EXISTS "host_tags"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "alerting"."dedup_positions_partition_seq"`);
    await queryRunner.query(`ALTER TABLE "alerting"."dedup_positions" DROP COLUMN IF EXISTS "partition"`);
  }
}
