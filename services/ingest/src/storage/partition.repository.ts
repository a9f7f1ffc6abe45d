import { Injectable } from '@nestjs/common';

import type { PartitionedTable, PartitionRange } from './partition-plan';
import type { SqlSession } from './sql-session.repository';

/** DDL waits at most this long for writers to let go of the parent table; the next run tries again. */
const DDL_LOCK_TIMEOUT = '10s';
/** Rollup rows are updated in place many times: room on the page keeps those updates HOT. */
const ROLLUP_FILLFACTOR = 70;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain identifier`);
  return `"${name}"`;
}

/** Partitions of `ingest.samples`, `ingest.rollup_1m` and `ingest.rollup_1h`, and TimescaleDB retention. */
@Injectable()
export class PartitionRepository {
  async list(session: SqlSession, table: PartitionedTable['table']): Promise<string[]> {
    const { rows } = await session.client.query<{ name: string }>(
      `SELECT c."relname" AS "name"
       FROM pg_inherits i
       JOIN pg_class c ON c."oid" = i."inhrelid"
       JOIN pg_class p ON p."oid" = i."inhparent"
       JOIN pg_namespace n ON n."oid" = p."relnamespace"
       WHERE n."nspname" = 'ingest' AND p."relname" = $1
       ORDER BY c."relname"`,
      [table],
    );
    return rows.map((row) => row.name);
  }

  /** The parent's indexes (unique key, BRIN) are created on the partition by Postgres itself. */
  async create(session: SqlSession, range: PartitionRange): Promise<void> {
    const storage = range.table === 'samples' ? '' : ` WITH (fillfactor = ${ROLLUP_FILLFACTOR})`;
    await this.ddl(
      session,
      `CREATE TABLE IF NOT EXISTS "ingest".${identifier(range.name)}
       PARTITION OF "ingest".${identifier(range.table)}
       FOR VALUES FROM ('${range.from.toISOString()}') TO ('${range.to.toISOString()}')${storage}`,
    );
  }

  async drop(session: SqlSession, name: string): Promise<void> {
    await this.ddl(session, `DROP TABLE IF EXISTS "ingest".${identifier(name)}`);
  }

  /** TimescaleDB drops whole chunks itself once a retention policy exists (the 1 h continuous aggregate too). */
  async ensureRetentionPolicy(
    session: SqlSession,
    relation: 'samples' | 'rollup_1m' | 'rollup_1h',
    retentionDays: number,
  ): Promise<void> {
    await session.client.query(
      `SELECT add_retention_policy($1::regclass, drop_after => make_interval(days => $2), if_not_exists => true)`,
      [`ingest.${relation}`, retentionDays],
    );
  }

  private async ddl(session: SqlSession, statement: string): Promise<void> {
    await session.client.query(`SET lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
    try {
      await session.client.query(statement);
    } finally {
      await session.client.query('RESET lock_timeout');
    }
  }
}
