import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export interface HostGroupCounts {
  tag: string;
  hosts: number;
  online: number;
  /** Host-hours in the window in which a host reported, and host-hours in the window. */
  reportedHours: number;
  hours: number;
}

/** UTC hour boundaries, whatever the session's time zone. */
const HOUR_OF = (time: string) => `to_timestamp(floor(extract(epoch FROM ${time}) / 3600) * 3600)`;

/**
 * Per requested tag: the hosts carrying it (API or reported tags), how many are online, and their
 * reported host-hours. A host's window starts at its first report, or at `$3` if that is later, and ends
 * with the current hour `$4`. A past hour counts as reported when the 1 h rollup holds a row of one of two
 * probe series — the host's first series and the first series of its newest report — instead of every
 * series, which keeps the cost at two index range scans per host. Hours are counted per host: one distinct
 * count over all hosts' rows spilled to disk (500 hosts over 90 days: 1.2 s, now ~150 ms). The current
 * hour counts when the host reported in it (the rollups fold with a lag).
 */
const HOST_GROUPS_SQL = `
  WITH members AS (
    SELECT "key", "status", "first_seen", "last_seen", "tags" || "reported_tags" AS "all_tags"
    FROM "ingest"."hosts"
    WHERE "tenant_id" = $1 AND ("tags" && $2::text[] OR "reported_tags" && $2::text[])
  ), windowed AS (
    SELECT m."key", m."status", m."last_seen",
           least(${HOUR_OF('greatest(m."first_seen", $3::timestamptz)')}, $4::timestamptz) AS "start",
           ARRAY(
             -- "+ 0" keeps the planner on the host's series instead of walking the primary key for min().
             (SELECT min(s."id" + 0) FROM "ingest"."series" s WHERE s."host_key" = m."key")
             UNION
             (SELECT ss."series_ids"[1] FROM "ingest"."latest" l
              JOIN "ingest"."series_sets" ss ON ss."id" = l."set_id"
              WHERE l."host_key" = m."key" ORDER BY l."time" DESC LIMIT 1)
           ) AS "probes"
    FROM members m
  ), per_host AS (
    SELECT w."key", w."status",
           (extract(epoch FROM $4 - w."start") / 3600)::int + 1 AS "hours",
           reported."hours" + (w."last_seen" >= $4)::int AS "reported_hours"
    FROM windowed w
    CROSS JOIN LATERAL (
      SELECT count(DISTINCT r."bucket")::int AS "hours" FROM "ingest"."rollup_1h" r
      WHERE r."series_id" = ANY(w."probes") AND r."bucket" >= w."start" AND r."bucket" < $4
    ) reported
  )
  SELECT t."tag", count(*)::int AS "hosts", count(*) FILTER (WHERE h."status" = 'online')::int AS "online",
         sum(least(h."reported_hours", h."hours"))::bigint AS "reported_hours", sum(h."hours")::bigint AS "hours"
  FROM members m
  CROSS JOIN LATERAL (SELECT DISTINCT unnest(m."all_tags") AS "tag") t
  JOIN per_host h ON h."key" = m."key"
  WHERE t."tag" = ANY($2::text[])
  GROUP BY t."tag"`;

/** Read-only summaries of host groups for the public status page. */
@Injectable()
export class HostGroupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summarise(
    tenantId: TenantId,
    input: { tags: string[]; windowStart: Date; currentHour: Date },
  ): Promise<HostGroupCounts[]> {
    const rows: { tag: string; hosts: number; online: number; reported_hours: string; hours: string }[] =
      await this.dataSource.query(HOST_GROUPS_SQL, [
        tenantId,
        input.tags,
        input.windowStart,
        input.currentHour,
      ]);
    return rows.map((row) => ({
      tag: row.tag,
      hosts: row.hosts,
      online: row.online,
      reportedHours: Number(row.reported_hours),
      hours: Number(row.hours),
    }));
  }
}
