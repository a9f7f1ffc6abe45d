import { Injectable } from '@nestjs/common';
import type { HostScope, MaintenanceWindowInput } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';

export interface MaintenanceWindowRecord {
  id: string;
  tenantId: string;
  input: MaintenanceWindowInput;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface WindowRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  enabled: boolean;
  starts_at: Date;
  duration_minutes: number;
  rrule: string | null;
  timezone: string;
  scope: HostScope;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `"id", "tenant_id", "name", "description", "enabled", "starts_at", "duration_minutes", "rrule",
  "timezone", "scope", "created_by", "created_at", "updated_at"`;

function toRecord(row: WindowRow): MaintenanceWindowRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    input: {
      name: row.name,
      description: row.description,
      enabled: row.enabled,
      startsAt: row.starts_at.toISOString(),
      durationMinutes: row.duration_minutes,
      rrule: row.rrule,
      timezone: row.timezone,
      scope: row.scope,
    },
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function valuesOf(input: MaintenanceWindowInput): unknown[] {
  return [
    input.name,
    input.description,
    input.enabled,
    input.startsAt,
    input.durationMinutes,
    input.rrule,
    input.timezone,
    JSON.stringify(input.scope),
  ];
}

/** `alerting.maintenance_windows`. */
@Injectable()
export class MaintenanceWindowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page in (created_at, id) order after `after`; `limit` rows at most. */
  async list(
    tenantId: TenantId,
    query: { after?: Keyset; limit: number },
  ): Promise<MaintenanceWindowRecord[]> {
    const after = query.after ? `AND ("created_at", "id") > ($3, $4::uuid)` : '';
    const rows: WindowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."maintenance_windows" WHERE "tenant_id" = $1 ${after}
       ORDER BY "created_at", "id" LIMIT $2`,
      [tenantId, query.limit, ...(query.after ? [query.after.time, query.after.id] : [])],
    );
    return rows.map(toRecord);
  }

  async find(tenantId: TenantId, id: string): Promise<MaintenanceWindowRecord | undefined> {
    const [row]: WindowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."maintenance_windows" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return row && toRecord(row);
  }

  async enabledOf(tenantId: TenantId): Promise<MaintenanceWindowRecord[]> {
    const rows: WindowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."maintenance_windows" WHERE "tenant_id" = $1 AND "enabled"`,
      [tenantId],
    );
    return rows.map(toRecord);
  }

  async insert(
    tenantId: TenantId,
    window: { id: string; input: MaintenanceWindowInput; createdBy: string },
  ): Promise<MaintenanceWindowRecord> {
    // Millisecond timestamps: list cursors carry milliseconds, so keyset comparisons stay exact.
    const [row]: WindowRow[] = await this.dataSource.query(
      `INSERT INTO "alerting"."maintenance_windows"
         ("id", "tenant_id", "created_by", "name", "description", "enabled", "starts_at", "duration_minutes",
          "rrule", "timezone", "scope", "created_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
         date_trunc('milliseconds', now()), date_trunc('milliseconds', now()))
       RETURNING ${COLUMNS}`,
      [window.id, tenantId, window.createdBy, ...valuesOf(window.input)],
    );
    return toRecord(row!);
  }

  async update(
    tenantId: TenantId,
    id: string,
    input: MaintenanceWindowInput,
  ): Promise<MaintenanceWindowRecord | undefined> {
    const [rows]: [WindowRow[]] = await this.dataSource.query(
      `UPDATE "alerting"."maintenance_windows"
       SET "name" = $3, "description" = $4, "enabled" = $5, "starts_at" = $6, "duration_minutes" = $7,
           "rrule" = $8, "timezone" = $9, "scope" = $10, "updated_at" = now()
       WHERE "tenant_id" = $1 AND "id" = $2
       RETURNING ${COLUMNS}`,
      [tenantId, id, ...valuesOf(input)],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async delete(tenantId: TenantId, id: string): Promise<boolean> {
    const [rows]: [unknown[]] = await this.dataSource.query(
      `DELETE FROM "alerting"."maintenance_windows" WHERE "tenant_id" = $1 AND "id" = $2 RETURNING "id"`,
      [tenantId, id],
    );
    return rows.length > 0;
  }
}
