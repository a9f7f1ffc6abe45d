import { Injectable } from '@nestjs/common';
import type { ChannelType } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';

/** A channel as stored: the open config in clear, the secret fields sealed. */
export interface ChannelRecord {
  id: string;
  tenantId: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  rateLimitPerMinute: number;
  sendResolved: boolean;
  config: Record<string, unknown>;
  sealedSecrets: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ChannelWrite = Pick<
  ChannelRecord,
  'name' | 'enabled' | 'rateLimitPerMinute' | 'sendResolved' | 'config' | 'sealedSecrets'
>;

export interface ChannelListQuery {
  type?: ChannelType;
  after?: Keyset;
  limit: number;
}

export type ChannelRemoval = 'deleted' | 'in_use' | 'not_found';

interface ChannelRow {
  id: string;
  tenant_id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  rate_limit_per_minute: number;
  send_resolved: boolean;
  config: Record<string, unknown>;
  sealed_secrets: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `"id", "tenant_id", "name", "type", "enabled", "rate_limit_per_minute", "send_resolved", "config",
  "sealed_secrets", "created_by", "created_at", "updated_at"`;

function toRecord(row: ChannelRow): ChannelRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    rateLimitPerMinute: row.rate_limit_per_minute,
    sendResolved: row.send_resolved,
    config: row.config,
    sealedSecrets: row.sealed_secrets,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * `alerting.channels`; a channel of another tenant is never found. `created_at` is kept to the
 * millisecond, the precision of page cursors, so a keyset never lands inside a timestamp.
 */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: TenantId, query: ChannelListQuery): Promise<ChannelRecord[]> {
    const parameters: unknown[] = [tenantId];
    const add = (value: unknown) => `$${parameters.push(value)}`;
    const conditions = [`"tenant_id" = $1`];
    if (query.type) conditions.push(`"type" = ${add(query.type)}`);
    if (query.after) {
      conditions.push(`("created_at", "id") > (${add(query.after.time)}, ${add(query.after.id)})`);
    }
    const rows: ChannelRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."channels" WHERE ${conditions.join(' AND ')}
       ORDER BY "created_at", "id" LIMIT ${add(query.limit)}`,
      parameters,
    );
    return rows.map(toRecord);
  }

  async find(tenantId: TenantId, id: string): Promise<ChannelRecord | undefined> {
    const [row]: ChannelRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."channels" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return row && toRecord(row);
  }

  async insert(
    tenantId: TenantId,
    channel: ChannelWrite & { id: string; type: ChannelType; createdBy: string },
  ): Promise<ChannelRecord> {
    const [row]: ChannelRow[] = await this.dataSource.query(
      `INSERT INTO "alerting"."channels"
         ("id", "tenant_id", "name", "type", "enabled", "rate_limit_per_minute", "send_resolved", "config",
          "sealed_secrets", "created_by", "created_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, date_trunc('milliseconds', now()), now())
       RETURNING ${COLUMNS}`,
      [
        channel.id,
        tenantId,
        channel.name,
        channel.type,
        channel.enabled,
        channel.rateLimitPerMinute,
        channel.sendResolved,
        JSON.stringify(channel.config),
        channel.sealedSecrets,
        channel.createdBy,
      ],
    );
    return toRecord(row!);
  }

  async update(tenantId: TenantId, id: string, channel: ChannelWrite): Promise<ChannelRecord | undefined> {
    const [rows]: [ChannelRow[]] = await this.dataSource.query(
      `UPDATE "alerting"."channels" SET "name" = $3, "enabled" = $4, "rate_limit_per_minute" = $5,
         "send_resolved" = $6, "config" = $7, "sealed_secrets" = $8, "updated_at" = now()
       WHERE "tenant_id" = $1 AND "id" = $2
       RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        channel.name,
        channel.enabled,
        channel.rateLimitPerMinute,
        channel.sendResolved,
        JSON.stringify(channel.config),
        channel.sealedSecrets,
      ],
    );
    const row = rows[0];
    return row && toRecord(row);
  }

  /** Deletes the channel unless a rule or an escalation step still names it (checked under a row lock). */
  async remove(tenantId: TenantId, id: string): Promise<ChannelRemoval> {
    return this.dataSource.transaction(async (manager) => {
      const locked: unknown[] = await manager.query(
        `SELECT 1 FROM "alerting"."channels" WHERE "tenant_id" = $1 AND "id" = $2 FOR UPDATE`,
        [tenantId, id],
      );
      if (locked.length === 0) return 'not_found';
      const [{ in_use: inUse }]: [{ in_use: boolean }] = await manager.query(
        `SELECT EXISTS (
             SELECT 1 FROM "alerting"."rules"
             WHERE "tenant_id" = $1 AND "definition" @> jsonb_build_object('channelIds', jsonb_build_array($2::text))
           ) OR EXISTS (
             SELECT 1 FROM "alerting"."escalation_policies"
             WHERE "tenant_id" = $1
               AND "steps" @> jsonb_build_array(jsonb_build_object('channelIds', jsonb_build_array($2::text)))
           ) AS "in_use"`,
        [tenantId, id],
      );
      if (inUse) return 'in_use';
      await manager.query(`DELETE FROM "alerting"."channels" WHERE "tenant_id" = $1 AND "id" = $2`, [
        tenantId,
        id,
      ]);
      return 'deleted';
    });
  }
}
