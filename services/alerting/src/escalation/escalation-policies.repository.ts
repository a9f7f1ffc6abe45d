import { Injectable } from '@nestjs/common';
import type { EscalationPolicyInput } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';

export interface EscalationPolicyRecord {
  id: string;
  tenantId: string;
  input: EscalationPolicyInput;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface PolicyRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  steps: EscalationPolicyInput['steps'];
  repeat: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `"id", "tenant_id", "name", "description", "steps", "repeat", "created_by", "created_at", "updated_at"`;

function toRecord(row: PolicyRow): EscalationPolicyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    input: { name: row.name, description: row.description, steps: row.steps, repeat: row.repeat },
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const valuesOf = (input: EscalationPolicyInput): unknown[] => [
  input.name,
  input.description,
  JSON.stringify(input.steps),
  input.repeat,
];

/** `alerting.escalation_policies`, and who refers to them. */
@Injectable()
export class EscalationPoliciesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    tenantId: TenantId,
    query: { after?: Keyset; limit: number },
  ): Promise<EscalationPolicyRecord[]> {
    const after = query.after ? `AND ("created_at", "id") > ($3, $4::uuid)` : '';
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."escalation_policies" WHERE "tenant_id" = $1 ${after}
       ORDER BY "created_at", "id" LIMIT $2`,
      [tenantId, query.limit, ...(query.after ? [query.after.time, query.after.id] : [])],
    );
    return rows.map(toRecord);
  }

  async find(tenantId: TenantId, id: string): Promise<EscalationPolicyRecord | undefined> {
    const [row]: PolicyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."escalation_policies" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return row && toRecord(row);
  }

  async insert(
    tenantId: TenantId,
    policy: { id: string; input: EscalationPolicyInput; createdBy: string },
  ): Promise<EscalationPolicyRecord> {
    // Millisecond timestamps: list cursors carry milliseconds, so keyset comparisons stay exact.
    const [row]: PolicyRow[] = await this.dataSource.query(
      `INSERT INTO "alerting"."escalation_policies"
         ("id", "tenant_id", "created_by", "name", "description", "steps", "repeat", "created_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()))
       RETURNING ${COLUMNS}`,
      [policy.id, tenantId, policy.createdBy, ...valuesOf(policy.input)],
    );
    return toRecord(row!);
  }

  async update(
    tenantId: TenantId,
    id: string,
    input: EscalationPolicyInput,
  ): Promise<EscalationPolicyRecord | undefined> {
    const [rows]: [PolicyRow[]] = await this.dataSource.query(
      `UPDATE "alerting"."escalation_policies"
       SET "name" = $3, "description" = $4, "steps" = $5, "repeat" = $6, "updated_at" = now()
       WHERE "tenant_id" = $1 AND "id" = $2
       RETURNING ${COLUMNS}`,
      [tenantId, id, ...valuesOf(input)],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** Deletes the policy unless a rule refers to it; false when nothing was deleted. */
  async deleteUnused(tenantId: TenantId, id: string): Promise<boolean> {
    const [rows]: [unknown[]] = await this.dataSource.query(
      `DELETE FROM "alerting"."escalation_policies" p
       WHERE p."tenant_id" = $1 AND p."id" = $2
         AND NOT EXISTS (SELECT 1 FROM "alerting"."rules" r
                         WHERE r."tenant_id" = $1 AND r."definition" ->> 'escalationPolicyId' = $3)
       RETURNING p."id"`,
      [tenantId, id, id],
    );
    return rows.length > 0;
  }

  /** The rules of the tenant that escalate with this policy (a few, for the message). */
  async rulesUsing(tenantId: TenantId, id: string): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(
      `SELECT "id", "name" FROM "alerting"."rules"
       WHERE "tenant_id" = $1 AND "definition" ->> 'escalationPolicyId' = $2
       ORDER BY "created_at", "id" LIMIT 5`,
      [tenantId, id],
    );
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
}
