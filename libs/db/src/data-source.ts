import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { describeError } from './describe-error';
import { assertSchemaName } from './schema-name';
import { TypeormLogger } from './typeorm-logger';

export interface DatabaseOptions {
  url: string;
  schema: string;
  entities?: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  poolSize?: number;
  applicationName?: string;
}

export const MIGRATIONS_TABLE = 'migrations';
const CONNECT_TIMEOUT_MS = 5_000;
const SLOW_QUERY_MS = 1_000;
const logger = new Logger('DataSource');

/** A DataSource bound to one service schema; it is not initialised and never migrates on its own. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const schema = assertSchemaName(options.schema);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    poolSize: options.poolSize,
    applicationName: options.applicationName,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    logger: new TypeormLogger(schema),
    maxQueryExecutionTime: SLOW_QUERY_MS,
    // An idle pooled client dying with the server must not become an uncaught 'error' event.
    poolErrorHandler: (error: unknown) =>
      logger.warn({ schema, reason: describeError(error) }, 'idle Postgres connection lost'),
  });
}

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');
