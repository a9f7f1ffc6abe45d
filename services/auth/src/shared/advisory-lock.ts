import { createHash } from 'node:crypto';

import type { DataSource } from 'typeorm';

function lockKey(name: string): string {
  return createHash('sha256').update(`optralis.auth.${name}`).digest().readBigInt64BE(0).toString();
}

/** Runs `work` while this process holds a Postgres session advisory lock, so instances take turns. */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(name)]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(name)]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
