import { DataSource, QueryRunner } from 'typeorm';

export interface TimescaleSupport {
  available: boolean;
  installed: boolean;
}

/** True when the server could CREATE EXTENSION timescaledb. */
export async function timescaleAvailable(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(
    `SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`,
  );
  return rows.length > 0;
}

/** True when timescaledb is installed in the current database. */
export async function timescaleInstalled(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}

export async function detectTimescale(dataSource: DataSource): Promise<TimescaleSupport> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    return {
      available: await timescaleAvailable(queryRunner),
      installed: await timescaleInstalled(queryRunner),
    };
  } finally {
    await queryRunner.release();
  }
}
