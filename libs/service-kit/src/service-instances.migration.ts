import type { MigrationInterface, QueryRunner } from 'typeorm';

import type { ServiceName } from '@optralis/contracts';

/** Every service's first migration: the table where each running instance records itself. */
export function serviceInstancesMigration(schema: ServiceName): new () => MigrationInterface {
  return class CreateServiceInstances1763683200000 implements MigrationInterface {
    name = 'CreateServiceInstances1763683200000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE "${schema}"."service_instances" (
          "instance_id" uuid PRIMARY KEY,
          "version" text NOT NULL,
          "hostname" text NOT NULL,
          "pid" integer NOT NULL,
          "started_at" timestamptz NOT NULL,
          "stopped_at" timestamptz
        )`);
      await queryRunner.query(
        `CREATE INDEX "service_instances_started_at" ON "${schema}"."service_instances" ("started_at" DESC)`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE "${schema}"."service_instances"`);
    }
  };
}
