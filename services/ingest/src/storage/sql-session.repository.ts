import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '@optralis/db';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** One pooled connection inside a transaction, handed to repositories; services never look inside. */
export interface SqlSession {
  readonly client: PoolClient;
}

/** A signed 64-bit key, as pg_advisory_lock(bigint) expects, stable across processes and versions. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(`optralis.ingest.${name}`).digest().readBigInt64BE(0).toString();
}

/** The SQLSTATE of a Postgres error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Transactions on one pooled pg client. A connection that failed mid-transaction is destroyed, not
 * returned to the pool, so the next write gets a healthy one.
 */
@Injectable()
export class SqlSessions {
  private readonly logger = new Logger(SqlSessions.name);

  constructor(private readonly dataSource: DataSource) {}

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const result = await this.run(undefined, work);
    if (!result.locked) throw new Error('unreachable: a transaction without a lock is always taken');
    return result.value;
  }

  /**
   * Runs `work` in a transaction only if no other instance holds the named transaction-level advisory lock;
   * `{ locked: false }` otherwise. The lock ends with the transaction.
   */
  async lockedTransaction<T>(
    lockName: string,
    work: (session: SqlSession) => Promise<T>,
  ): Promise<{ locked: true; value: T } | { locked: false }> {
    return this.run(lockName, work);
  }

  /**
   * A session-level advisory lock around autocommitted statements (DDL that should not sit in one long
   * transaction); `wait` queues for the lock instead of giving up at once.
   */
  async withSessionLock<T>(
    lockName: string,
    work: (session: SqlSession) => Promise<T>,
    options: { wait?: boolean } = {},
  ): Promise<{ locked: true; value: T } | { locked: false }> {
    const key = advisoryLockKey(lockName);
    return this.withClient(async (session, markBroken) => {
      if (options.wait) await session.client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      else {
        const { rows } = await session.client.query('SELECT pg_try_advisory_lock($1::bigint) AS "locked"', [
          key,
        ]);
        if (!rows[0].locked) return { locked: false };
      }
      let value: T;
      try {
        value = await work(session);
      } catch (error) {
        await session.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(markBroken);
        throw error;
      }
      await session.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      return { locked: true, value };
    });
  }

  private async run<T>(
    lockName: string | undefined,
    work: (session: SqlSession) => Promise<T>,
  ): Promise<{ locked: true; value: T } | { locked: false }> {
    return this.withClient(async (session, markBroken) => {
      await session.client.query('BEGIN');
      try {
        if (lockName !== undefined) {
          const [row] = (
            await session.client.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS "locked"', [
              advisoryLockKey(lockName),
            ])
          ).rows;
          if (!row.locked) {
            await session.client.query('ROLLBACK');
            return { locked: false };
          }
        }
        const value = await work(session);
        await session.client.query('COMMIT');
        return { locked: true, value };
      } catch (error) {
        // A failed COMMIT or ROLLBACK means the connection is gone; the first error is the one to report.
        await session.client.query('ROLLBACK').catch(markBroken);
        throw error;
      }
    });
  }

  private async withClient<T>(
    work: (session: SqlSession, markBroken: (error: unknown) => void) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let broken: unknown;
    try {
      const client = (await runner.connect()) as PoolClient;
      return await work({ client }, (error) => (broken ??= error ?? new Error('connection lost')));
    } finally {
      if (broken === undefined) await runner.release();
      else {
        this.logger.warn({ reason: describeError(broken) }, 'discarding a broken Postgres connection');
        // Typed private, but it is TypeORM's way to make pg-pool destroy the client instead of reusing it.
        await (
          runner as unknown as { releasePostgresConnection(error: unknown): Promise<void> }
        ).releasePostgresConnection(broken);
      }
    }
  }
}
