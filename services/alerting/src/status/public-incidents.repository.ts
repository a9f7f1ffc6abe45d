import { Injectable } from '@nestjs/common';
import type { AlertSeverity } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export interface IncidentRecord {
  ruleName: string;
  severity: AlertSeverity;
  firing: boolean;
  startedAt: Date;
  tags: string[];
}

/**
 * Open alerts (firing or acknowledged; pending, suppressed and resolved ones are not incidents) of hosts
 * carrying one of the tags, one row per rule: its newest name, its worst severity, its earliest start and
 * the requested tags its hosts carry. `state <> 'resolved'` lets the open-alerts index serve the query.
 */
const OPEN_INCIDENTS = `
  WITH open AS (
    SELECT "rule_id", "rule_name", "severity", "state", coalesce("firing_at", "started_at") AS "started_at", "host_tags"
    FROM "alerting"."alerts"
    WHERE "tenant_id" = $1 AND "state" <> 'resolved' AND "state" IN ('firing', 'acknowledged')
      AND "host_tags" && $2::text[]
  ), matching AS (
    SELECT DISTINCT o."rule_id", t."tag" FROM open o CROSS JOIN LATERAL unnest(o."host_tags") AS t("tag")
    WHERE t."tag" = ANY($2::text[])
  )
  SELECT (array_agg(o."rule_name" ORDER BY o."started_at" DESC))[1] AS "rule_name",
         max(CASE o."severity" WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END) AS "rank",
         bool_or(o."state" = 'firing') AS "firing",
         min(o."started_at") AS "started_at",
         (SELECT array_agg(m."tag" ORDER BY m."tag") FROM matching m WHERE m."rule_id" = o."rule_id") AS "tags"
  FROM open o
  GROUP BY o."rule_id"
  ORDER BY "rank" DESC, "started_at", o."rule_id"
  LIMIT $3`;

const SEVERITY_OF_RANK: Record<number, AlertSeverity> = { 3: 'critical', 2: 'warning', 1: 'info' };

/** Read-only: the open incidents a tenant's public status page may show. */
@Injectable()
export class PublicIncidentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async open(tenantId: TenantId, input: { tags: string[]; limit: number }): Promise<IncidentRecord[]> {
    const rows: { rule_name: string; rank: number; firing: boolean; started_at: Date; tags: string[] }[] =
      await this.dataSource.query(OPEN_INCIDENTS, [tenantId, input.tags, input.limit]);
    return rows.map((row) => ({
      ruleName: row.rule_name,
      severity: SEVERITY_OF_RANK[row.rank],
      firing: row.firing,
      startedAt: row.started_at,
      tags: row.tags,
    }));
  }
}
