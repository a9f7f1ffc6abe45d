import { Injectable } from '@nestjs/common';
import type { AlertSeverity, AlertState } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';
import type { AlertRecord } from './alert.types';
import { ALERT_COLUMNS, type AlertRow, fromRow } from './alert-row';

export interface AlertFilters {
  open?: boolean;
  state?: AlertState;
  severity?: AlertSeverity;
  hostId?: string;
  ruleId?: string;
  from?: Date;
  to?: Date;
}

export interface TransitionRecord {
  fromState: AlertState | null;
  toState: AlertState;
  severity: AlertSeverity;
  value: number | null;
  summary: string;
  actor: string | null;
  time: Date;
}

/** Reads of alert history for the API: newest first, tenant-scoped. */
@Injectable()
export class AlertQueriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    tenantId: TenantId,
    filters: AlertFilters,
    after: Keyset | undefined,
    limit: number,
  ): Promise<AlertRecord[]> {
    const conditions = ['"tenant_id" = $1'];
    const parameters: unknown[] = [tenantId];
    const add = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    if (filters.open === true) conditions.push(`"state" <> 'resolved'`);
    if (filters.open === false) conditions.push(`"state" = 'resolved'`);
    if (filters.state) add('"state" = ?', filters.state);
    if (filters.severity) add('"severity" = ?', filters.severity);
    if (filters.hostId) add('"host_id" = ?', filters.hostId);
    if (filters.ruleId) add('"rule_id" = ?', filters.ruleId);
    if (filters.from) add('"started_at" >= ?', filters.from);
    if (filters.to) add('"started_at" < ?', filters.to);
    if (after) {
      parameters.push(after.time, after.id);
      conditions.push(`("started_at", "id") < ($${parameters.length - 1}, $${parameters.length})`);
    }
    parameters.push(limit + 1);
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts" WHERE ${conditions.join(' AND ')}
        ORDER BY "started_at" DESC, "id" DESC LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(fromRow);
  }

  async get(tenantId: TenantId, id: string): Promise<AlertRecord | undefined> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async transitions(tenantId: TenantId, alertId: string): Promise<TransitionRecord[]> {
    const rows: {
      from_state: AlertState | null;
      to_state: AlertState;
      severity: AlertSeverity;
      value: number | null;
      summary: string;
      actor: string | null;
      time: Date;
    }[] = await this.dataSource.query(
      `SELECT "from_state", "to_state", "severity", "value", "summary", "actor", "time"
         FROM "alerting"."alert_transitions" WHERE "tenant_id" = $1 AND "alert_id" = $2 ORDER BY "id" LIMIT 1000`,
      [tenantId, alertId],
    );
    return rows.map((row) => ({
      fromState: row.from_state,
      toState: row.to_state,
      severity: row.severity,
      value: row.value,
      summary: row.summary,
      actor: row.actor,
      time: row.time,
    }));
  }
}

export interface AlertDeliveryRow {
  id: string;
  channel_id: string;
  channel_name: string | null;
  channel_type: string | null;
  alert_id: string | null;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  last_status_code: number | null;
  created_at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
}

export const ALERT_DELIVERIES_SQL = `SELECT d."id", d."channel_id", c."name" AS "channel_name", c."type" AS "channel_type",
    d."alert_id", d."kind", d."status", d."attempts", d."last_error", d."last_status_code", d."created_at",
    CASE WHEN d."status" IN ('pending', 'sending') THEN d."next_attempt_at" END AS "next_attempt_at", d."delivered_at"
  FROM "alerting"."deliveries" d LEFT JOIN "alerting"."channels" c ON c."id" = d."channel_id"
  WHERE d."tenant_id" = $1 AND d."alert_id" = $2 ORDER BY d."created_at", d."id" LIMIT 1000`;
