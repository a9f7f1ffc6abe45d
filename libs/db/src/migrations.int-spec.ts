import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@optralis/testing';
import { createDataSource } from './data-source';
import { migrationLockKey, runMigrationsLocked } from './migrations';

class InsertMarker1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS "fleet"."marker" (id serial PRIMARY KEY)`);
    // Without the lock the second instance would read the migrations table during this pause.
    await queryRunner.query(`SELECT pg_sleep(0.3)`);
    await queryRunner.query(`INSERT INTO "fleet"."marker" DEFAULT VALUES`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "fleet"."marker"`);
  }
}

class FailHalfway1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO "fleet"."marker" DEFAULT VALUES`);
    await queryRunner.query(`SELECT * FROM "fleet"."missing_table"`);
  }

  async down(): Promise<void> {}
}

describe(runMigrationsLocked.name, () => {
  let database: TestDatabase;
  let dataSources: DataSource[];

  const connect = async (migrations: (new () => MigrationInterface)[]): Promise<DataSource> => {
    const dataSource = createDataSource({ url: database.url, schema: 'fleet', migrations });
    dataSources.push(dataSource);
    return dataSource.initialize();
  };
  const count = async (dataSource: DataSource, table: string): Promise<number> => {
    const [row] = await dataSource.query(`SELECT count(*)::int AS count FROM "fleet"."${table}"`);
    return row.count;
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSources = [];
  });

  afterEach(async () => {
    await Promise.all(dataSources.filter((source) => source.isInitialized).map((source) => source.destroy()));
    await database.drop();
  });

  it('should apply a migration once when two instances migrate the same schema at the same time', async () => {
    const [first, second] = await Promise.all([
      connect([InsertMarker1700000000000]),
      connect([InsertMarker1700000000000]),
    ]);

    const applied = await Promise.all([
      runMigrationsLocked(first, { schema: 'fleet' }),
      runMigrationsLocked(second, { schema: 'fleet' }),
    ]);

    expect(applied.map((migrations) => migrations.length).sort()).toEqual([0, 1]);
    expect(await count(first, 'marker')).toBe(1);
    expect(await count(first, 'migrations')).toBe(1);
  });

  it('should roll back the failed migration and release the lock when a migration throws', async () => {
    const dataSource = await connect([InsertMarker1700000000000, FailHalfway1700000000001]);

    await expect(runMigrationsLocked(dataSource, { schema: 'fleet' })).rejects.toThrow(/missing_table/);

    expect(await count(dataSource, 'marker')).toBe(1);
    expect(await count(dataSource, 'migrations')).toBe(1);
    const [lock] = await dataSource.query('SELECT pg_try_advisory_lock($1::bigint) AS taken', [
      migrationLockKey('fleet'),
    ]);
    expect(lock.taken).toBe(true);
  });

  it('should throw before touching the database when the schema name is not a plain identifier', async () => {
    const dataSource = await connect([]);

    await expect(runMigrationsLocked(dataSource, { schema: 'fleet"; DROP' })).rejects.toThrow(
      /schema .* is invalid/,
    );
  });
});
