import { Injectable } from '@nestjs/common';
import { from as copyFrom } from 'pg-copy-streams';

import type { SqlSession } from './sql-session.repository';

export interface StoredBatch {
  /** `write_batches.id` and `samples.batch_id` of the rows this batch stored. */
  batchId: string;
  rows: number;
  samples: number;
}

/** Per connection; emptied at every commit, so a failed batch leaves nothing behind either. */
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS "ingest_staging" (
  "host_key" integer NOT NULL,
  "time" timestamptz NOT NULL,
  "set_id" integer NOT NULL,
  "values" double precision[] NOT NULL
) ON COMMIT DELETE ROWS`;

/** `ingest.samples`, `ingest.write_batches` and `ingest.latest`: the rows of a write batch. */
@Injectable()
export class SamplesRepository {
  /** Streams COPY text (see copy-text.ts) into the connection's staging table in one write. */
  async stage(session: SqlSession, copyText: string): Promise<void> {
    await session.client.query(STAGING);
    const stream = session.client.query(
      copyFrom(`COPY pg_temp."ingest_staging" ("host_key", "time", "set_id", "values") FROM STDIN`),
    );
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(copyText);
    });
  }

  /**
   * Moves the staged rows into `ingest.samples` under a new batch id (a row already stored, i.e. a
   * redelivered report, is skipped), records the batch for the rollup job and advances `ingest.latest`.
   */
  async store(session: SqlSession): Promise<StoredBatch> {
    const { rows } = await session.client.query<{ batch_id: string; rows: number; samples: number }>(
      `WITH batch AS MATERIALIZED (
         SELECT nextval(pg_get_serial_sequence('"ingest"."write_batches"', 'id')) AS "id"
       ), inserted AS (
         INSERT INTO "ingest"."samples" ("host_key", "time", "set_id", "batch_id", "values")
         SELECT s."host_key", s."time", s."set_id", batch."id", s."values"
         FROM pg_temp."ingest_staging" s CROSS JOIN batch
         ON CONFLICT DO NOTHING
         RETURNING "time", cardinality("values") AS "samples"
       ), recorded AS (
         INSERT INTO "ingest"."write_batches" ("id", "min_time", "max_time")
         SELECT (SELECT "id" FROM batch), min("time"), max("time") FROM inserted HAVING count(*) > 0
       ), latest AS (
         INSERT INTO "ingest"."latest" AS l ("host_key", "set_id", "time", "values")
         SELECT DISTINCT ON ("host_key", "set_id") "host_key", "set_id", "time", "values"
         FROM pg_temp."ingest_staging"
         ORDER BY "host_key", "set_id", "time" DESC
         ON CONFLICT ("host_key", "set_id") DO UPDATE SET "time" = EXCLUDED."time", "values" = EXCLUDED."values"
         WHERE l."time" < EXCLUDED."time"
       )
       SELECT (SELECT "id" FROM batch)::text AS "batch_id", count(*)::int AS "rows",
              COALESCE(sum("samples"), 0)::int AS "samples"
       FROM inserted`,
    );
    return { batchId: rows[0].batch_id, rows: rows[0].rows, samples: rows[0].samples };
  }
}
