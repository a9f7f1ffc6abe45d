import { createHash } from 'node:crypto';
import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { describeError } from './describe-error';
import { assertSchemaName } from './schema-name';

export interface MigrationLogger {
  log(message: unknown, ...context: unknown[]): void;
  warn(message: unknown, ...context: unknown[]): void;
}

/** A signed 64-bit key, as pg_advisory_lock(bigint) expects, stable across processes and versions. */
export function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`optralis.migrations.${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * Applies pending migrations of one schema while holding a session advisory lock, so concurrent
 * instances of a service wait for each other and every migration runs once.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  options: { schema: string; logger?: MigrationLogger },
): Promise<Migration[]> {
  const schema = assertSchemaName(options.schema);
  const key = migrationLockKey(schema);
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.connect();
    await queryRunner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      // Inside the lock: concurrent CREATE SCHEMA IF NOT EXISTS can still fail on a unique violation.
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      options.logger?.log(
        { schema, applied: applied.map((migration) => migration.name) },
        applied.length ? 'migrations applied' : 'no migrations pending',
      );
      return applied;
    } finally {
      await unlock(queryRunner, key, schema, options.logger);
    }
  } finally {
    await queryRunner.release();
  }
}

async function unlock(
  queryRunner: ReturnType<DataSource['createQueryRunner']>,
  key: string,
  schema: string,
  logger: MigrationLogger | undefined,
): Promise<void> {
  try {
    await queryRunner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  } catch (error) {
    // The session is gone, and with it the lock; the original error is the one worth throwing.
    logger?.warn({ schema, reason: describeError(error) }, 'migration lock not released explicitly');
  }
}
