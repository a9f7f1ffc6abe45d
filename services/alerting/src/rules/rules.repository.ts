import { Injectable } from '@nestjs/common';
import { RuleInput, type RuleKind } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';

export interface RuleRecord {
  id: string;
  tenantId: string;
  definition: RuleInput;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RuleListQuery {
  kind?: RuleKind;
  enabled?: boolean;
  after?: Keyset;
  /** Rows to read: the caller asks one more than it returns to know whether a next page exists. */
  limit: number;
}

interface RuleRow {
  id: string;
  tenant_id: string;
  definition: unknown;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `"id", "tenant_id", "definition", "created_by", "created_at", "updated_at"`;

function toRecord(row: RuleRow): RuleRecord {
  // Stored definitions were validated on write; parsing again fills defaults added to the contract since.
  const parsed = RuleInput.safeParse(row.definition);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    definition: parsed.success ? parsed.data : (row.definition as RuleInput),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The filter columns (`kind`, `name`, `enabled`, `metric`) always follow the stored definition. */
function columnsOf(definition: RuleInput): unknown[] {
  const metric = 'metric' in definition ? definition.metric : null;
  return [definition.name, definition.kind, definition.enabled, metric, JSON.stringify(definition)];
}

/** `alerting.rules`, plus the existence checks of what a rule refers to. */
@Injectable()
export class RulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: TenantId, query: RuleListQuery): Promise<RuleRecord[]> {
    const parameters: unknown[] = [tenantId];
    const add = (value: unknown): string => `$${parameters.push(value)}`;
    const conditions = [`"tenant_id" = $1`];
    if (query.kind) conditions.push(`"kind" = ${add(query.kind)}`);
    if (query.enabled !== undefined) conditions.push(`"enabled" = ${add(query.enabled)}`);
    if (query.after) {
      conditions.push(`("created_at", "id") > (${add(query.after.time)}, ${add(query.after.id)}::uuid)`);
    }
    const rows: RuleRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."rules" WHERE ${conditions.join(' AND ')}
       ORDER BY "created_at", "id" LIMIT ${add(query.limit)}`,
      parameters,
    );
    return rows.map(toRecord);
  }

  async find(tenantId: TenantId, id: string): Promise<RuleRecord | undefined> {
    const [row]: RuleRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."rules" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return row && toRecord(row);
  }

  async insert(
    tenantId: TenantId,
    rule: { id: string; definition: RuleInput; createdBy: string },
  ): Promise<RuleRecord> {
    // Millisecond timestamps: list cursors carry milliseconds, so keyset comparisons stay exact.
    const [row]: RuleRow[] = await this.dataSource.query(
      `INSERT INTO "alerting"."rules"
         ("id", "tenant_id", "created_by", "name", "kind", "enabled", "metric", "definition",
          "created_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()))
       RETURNING ${COLUMNS}`,
      [rule.id, tenantId, rule.createdBy, ...columnsOf(rule.definition)],
    );
    return toRecord(row!);
  }

  async update(tenantId: TenantId, id: string, definition: RuleInput): Promise<RuleRecord | undefined> {
    const [rows]: [RuleRow[]] = await this.dataSource.query(
      `UPDATE "alerting"."rules"
       SET "name" = $3, "kind" = $4, "enabled" = $5, "metric" = $6, "definition" = $7, "updated_at" = now()
       WHERE "tenant_id" = $1 AND "id" = $2
       RETURNING ${COLUMNS}`,
      [tenantId, id, ...columnsOf(definition)],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async delete(tenantId: TenantId, id: string): Promise<boolean> {
    const [rows]: [unknown[]] = await this.dataSource.query(
      `DELETE FROM "alerting"."rules" WHERE "tenant_id" = $1 AND "id" = $2 RETURNING "id"`,
      [tenantId, id],
    );
    return rows.length > 0;
  }

  async enabledOf(tenantId: TenantId): Promise<RuleRecord[]> {
    const rows: RuleRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."rules" WHERE "tenant_id" = $1 AND "enabled" ORDER BY "created_at", "id"`,
      [tenantId],
    );
    return rows.map(toRecord);
  }

  /** The one read across tenants: the evaluator indexes every enabled rule at start. */
  async enabledOfEveryTenant(): Promise<RuleRecord[]> {
    const rows: RuleRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."rules" WHERE "enabled" ORDER BY "tenant_id", "created_at", "id"`,
    );
    return rows.map(toRecord);
  }

  /** The ids among `channelIds` that are not channels of this tenant. */
  async missingChannels(tenantId: TenantId, channelIds: readonly string[]): Promise<string[]> {
    if (channelIds.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT "id" FROM "alerting"."channels" WHERE "tenant_id" = $1 AND "id" = ANY($2::uuid[])`,
      [tenantId, [...channelIds]],
    );
    const found = new Set(rows.map((row) => row.id));
    return channelIds.filter((id) => !found.has(id));
  }

  async hasEscalationPolicy(tenantId: TenantId, id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "alerting"."escalation_policies" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return rows.length > 0;
  }
}
