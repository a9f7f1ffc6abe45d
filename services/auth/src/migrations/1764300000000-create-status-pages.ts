import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One public status page per tenant: off until an admin enables it; groups are `{ name, tag }` pairs. */
export class CreateStatusPages1764300000000 implements MigrationInterface {
  name = 'CreateStatusPages1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "auth"."status_pages" (
        "tenant_id" uuid PRIMARY KEY REFERENCES "auth"."tenants" ("id") ON DELETE CASCADE,
        "enabled" boolean NOT NULL DEFAULT false,
        "title" text,
        "groups" jsonb NOT NULL DEFAULT '[]',
        "show_incidents" boolean NOT NULL DEFAULT true,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" uuid
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."status_pages"`);
  }
}
