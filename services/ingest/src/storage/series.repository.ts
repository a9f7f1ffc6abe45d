import { Injectable } from '@nestjs/common';

import type { SqlSession } from './sql-session.repository';

export interface SeriesIdentity {
  hostKey: number;
  name: string;
  labelsKey: string;
}

export interface NewSeries extends SeriesIdentity {
  labels: [string, string][];
}

export interface SeriesSetRequest {
  hostKey: number;
  hash: string;
  /** Sorted series ids, comma-separated. */
  ids: string;
}

/** `ingest.series` and `ingest.series_sets`: the dictionary that turns a report's samples into one row. */
@Injectable()
export class SeriesRepository {
  /** Ids of the series that exist, by position in `wanted`. */
  async find(session: SqlSession, wanted: SeriesIdentity[]): Promise<Map<number, number>> {
    const { rows } = await session.client.query<{ id: number; ord: string }>(
      `SELECT s."id", v."ord"
       FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS v("host_key", "name", "labels_key", "ord")
       JOIN "ingest"."series" s
         ON s."host_key" = v."host_key" AND s."name" = v."name" AND s."labels_key" = v."labels_key"`,
      columns(wanted),
    );
    return new Map(rows.map((row) => [Number(row.ord) - 1, row.id]));
  }

  /**
   * Creates series (the caller holds the host rows, so nobody else creates them meanwhile); one that exists
   * anyway is looked up. Ids by position in `series`.
   */
  async create(
    session: SqlSession,
    series: NewSeries[],
  ): Promise<Map<number, { id: number; created: boolean }>> {
    const [hostKeys, names, labelsKeys] = columns(series);
    const { rows } = await session.client.query<{ id: number; ord: string; created: boolean }>(
      `WITH v AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])
           WITH ORDINALITY AS v("host_key", "name", "labels_key", "labels", "ord")
       ), created AS (
         INSERT INTO "ingest"."series" ("host_key", "name", "labels", "labels_key")
         SELECT "host_key", "name", "labels"::jsonb, "labels_key" FROM v ORDER BY "ord"
         ON CONFLICT ("host_key", "name", "labels_key") DO NOTHING
         RETURNING "id", "host_key", "name", "labels_key"
       )
       SELECT c."id", v."ord", true AS "created" FROM v JOIN created c USING ("host_key", "name", "labels_key")
       UNION ALL
       SELECT s."id", v."ord", false AS "created" FROM v JOIN "ingest"."series" s
         ON s."host_key" = v."host_key" AND s."name" = v."name" AND s."labels_key" = v."labels_key"`,
      [hostKeys, names, labelsKeys, series.map((item) => JSON.stringify(Object.fromEntries(item.labels)))],
    );
    return new Map(rows.map((row) => [Number(row.ord) - 1, { id: row.id, created: row.created }]));
  }

  /** Ids of series sets, created when missing; by position in `sets`. */
  async resolveSets(session: SqlSession, sets: SeriesSetRequest[]): Promise<Map<number, number>> {
    const { rows } = await session.client.query<{ id: number; ord: string }>(
      `WITH v AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS v("host_key", "hash", "ids", "ord")
       ), created AS (
         INSERT INTO "ingest"."series_sets" ("host_key", "hash", "series_ids")
         SELECT "host_key", "hash", string_to_array("ids", ',')::int[] FROM v ORDER BY "ord"
         ON CONFLICT ("host_key", "hash") DO NOTHING
         RETURNING "id", "host_key", "hash"
       )
       SELECT c."id", v."ord" FROM v JOIN created c USING ("host_key", "hash")
       UNION ALL
       SELECT s."id", v."ord" FROM v JOIN "ingest"."series_sets" s ON s."host_key" = v."host_key" AND s."hash" = v."hash"`,
      [sets.map((set) => set.hostKey), sets.map((set) => set.hash), sets.map((set) => set.ids)],
    );
    return new Map(rows.map((row) => [Number(row.ord) - 1, row.id]));
  }
}

function columns(series: SeriesIdentity[]): [number[], string[], string[]] {
  return [
    series.map((item) => item.hostKey),
    series.map((item) => item.name),
    series.map((item) => item.labelsKey),
  ];
}
