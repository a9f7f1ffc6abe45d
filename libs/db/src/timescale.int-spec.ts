import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@optralis/testing';
import { createDataSource } from './data-source';
import { detectTimescale, timescaleAvailable, timescaleInstalled } from './timescale';

describe(detectTimescale.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({
      url: database.url,
      schema: 'metrics',
      migrations: [],
    }).initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('should report booleans when asked whether TimescaleDB is available and installed', async () => {
    const support = await detectTimescale(dataSource);

    expect(support).toEqual({ available: expect.any(Boolean), installed: expect.any(Boolean) });
  });

  it('should agree with the catalogues when a migration uses the query runner helpers', async () => {
    const queryRunner = dataSource.createQueryRunner();
    try {
      const available = await timescaleAvailable(queryRunner);
      const installed = await timescaleInstalled(queryRunner);
      const [catalogue] = await queryRunner.query(
        `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available`,
      );

      expect(available).toBe(catalogue.available);
      expect(installed).toBe(false);
    } finally {
      await queryRunner.release();
    }
  });
});
