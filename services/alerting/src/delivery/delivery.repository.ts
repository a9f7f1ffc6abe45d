import { Injectable } from '@nestjs/common';
import type { ChannelType, DELIVERY_STATUSES } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Keyset } from '../shared/list-cursor';
import type { DeliveryKind } from './delivery-outbox';

export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A due delivery this instance leased: `attempts` already counts this attempt and fences the lease. */
export interface ClaimedDelivery {
  id: string;
  tenantId: TenantId;
  alertId: string | null;
  channelId: string;
  kind: DeliveryKind;
  attempts: number;
  payload: unknown;
  sampleTime: Date | null;
}

export interface DeliveryRecord {
  id: string;
  channelId: string;
  channelName: string;
  channelType: ChannelType;
  alertId: string | null;
  kind: DeliveryKind;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

export interface DeliveryListQuery {
  channelId?: string;
  alertId?: string;
  status?: DeliveryStatus;
  /** Newest first: the page after this (created_at, id). */
  before?: Keyset;
  limit: number;
}

/** How an attempt ended, for `settle`. */
export type Settlement =
  | { status: 'delivered'; statusCode: number | null }
  | { status: 'retry'; delayMs: number; error: string; statusCode: number | null }
  | { status: 'failed'; error: string; statusCode: number | null }
  /** Held by the rate limit: back to pending, and the attempt is not counted. */
  | { status: 'deferred'; delayMs: number };

interface ClaimedRow {
  id: string;
  tenant_id: TenantId;
  alert_id: string | null;
  channel_id: string;
  kind: DeliveryKind;
  attempts: number;
  payload: unknown;
  sample_time: Date | null;
}

interface DeliveryRow {
  id: string;
  channel_id: string;
  channel_name: string;
  channel_type: ChannelType;
  alert_id: string | null;
  kind: DeliveryKind;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_status_code: number | null;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
}

/** `alerting.deliveries`, the notification outbox. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Leases up to `limit` due deliveries of every tenant (the outbox is one queue; each row then carries
   * its tenant). SKIP LOCKED lets instances claim side by side; a lease that ran out (a crashed
   * instance) makes the row due again.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const [rows]: [ClaimedRow[]] = await this.dataSource.query(
      `UPDATE "alerting"."deliveries" d
          SET "status" = 'sending', "lease_until" = now() + $2 * interval '1 millisecond',
              "attempts" = d."attempts" + 1
        WHERE d."id" IN (
          SELECT "id" FROM "alerting"."deliveries" due
           WHERE "status" IN ('pending', 'sending') AND "next_attempt_at" <= now()
             AND ("lease_until" IS NULL OR "lease_until" < now())
             -- A channel hears about an alert in order: a resolution waits for the firing still unsent.
             AND NOT EXISTS (
               SELECT 1 FROM "alerting"."deliveries" earlier
                WHERE earlier."tenant_id" = due."tenant_id" AND earlier."alert_id" = due."alert_id"
                  AND earlier."channel_id" = due."channel_id" AND earlier."status" IN ('pending', 'sending')
                  AND earlier."created_at" < due."created_at")
           ORDER BY "next_attempt_at"
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING d."id", d."tenant_id", d."alert_id", d."channel_id", d."kind", d."attempts", d."payload",
                  d."sample_time"`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      alertId: row.alert_id,
      channelId: row.channel_id,
      kind: row.kind,
      attempts: row.attempts,
      payload: row.payload,
      sampleTime: row.sample_time,
    }));
  }

  /**
   * Records how a claimed attempt ended. Only while the lease is still this attempt's (same `attempts`,
   * still sending): after a lease ran out and another instance took the row, this is a no-op.
   */
  async settle(delivery: ClaimedDelivery, settlement: Settlement): Promise<boolean> {
    const fence = `"tenant_id" = $1 AND "id" = $2 AND "attempts" = $3 AND "status" = 'sending'`;
    const key = [delivery.tenantId, delivery.id, delivery.attempts];
    const [, count]: [unknown, number] = await this.dataSource.query(
      ...this.settlementSql(fence, key, settlement),
    );
    return count === 1;
  }

  async list(tenantId: TenantId, query: DeliveryListQuery): Promise<DeliveryRecord[]> {
    const parameters: unknown[] = [tenantId];
    const add = (value: unknown) => `$${parameters.push(value)}`;
    const conditions = [`d."tenant_id" = $1`];
    if (query.channelId) conditions.push(`d."channel_id" = ${add(query.channelId)}`);
    if (query.alertId) conditions.push(`d."alert_id" = ${add(query.alertId)}`);
    if (query.status) conditions.push(`d."status" = ${add(query.status)}`);
    if (query.before) {
      conditions.push(`(d."created_at", d."id") < (${add(query.before.time)}, ${add(query.before.id)})`);
    }
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT d."id", d."channel_id", c."name" AS "channel_name", c."type" AS "channel_type", d."alert_id",
              d."kind", d."status", d."attempts", d."last_error", d."last_status_code", d."created_at",
              d."next_attempt_at", d."delivered_at"
         FROM "alerting"."deliveries" d
         JOIN "alerting"."channels" c ON c."tenant_id" = d."tenant_id" AND c."id" = d."channel_id"
        WHERE ${conditions.join(' AND ')}
        ORDER BY d."created_at" DESC, d."id" DESC
        LIMIT ${add(query.limit)}`,
      parameters,
    );
    return rows.map((row) => ({
      id: row.id,
      channelId: row.channel_id,
      channelName: row.channel_name,
      channelType: row.channel_type,
      alertId: row.alert_id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      lastStatusCode: row.last_status_code,
      createdAt: row.created_at,
      nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? row.next_attempt_at : null,
      deliveredAt: row.delivered_at,
    }));
  }

  private settlementSql(fence: string, key: unknown[], settlement: Settlement): [string, unknown[]] {
    const table = `"alerting"."deliveries"`;
    switch (settlement.status) {
      case 'delivered':
        return [
          `UPDATE ${table} SET "status" = 'delivered', "delivered_at" = now(), "lease_until" = NULL,
             "last_status_code" = $4 WHERE ${fence}`,
          [...key, settlement.statusCode],
        ];
      case 'retry':
        return [
          `UPDATE ${table} SET "status" = 'pending', "lease_until" = NULL,
             "next_attempt_at" = now() + $4 * interval '1 millisecond', "last_error" = $5,
             "last_status_code" = $6 WHERE ${fence}`,
          [...key, settlement.delayMs, settlement.error, settlement.statusCode],
        ];
      case 'failed':
        return [
          `UPDATE ${table} SET "status" = 'failed', "lease_until" = NULL, "last_error" = $4,
             "last_status_code" = $5 WHERE ${fence}`,
          [...key, settlement.error, settlement.statusCode],
        ];
      case 'deferred':
        return [
          `UPDATE ${table} SET "status" = 'pending', "lease_until" = NULL, "attempts" = "attempts" - 1,
             "next_attempt_at" = now() + $4 * interval '1 millisecond' WHERE ${fence}`,
          [...key, settlement.delayMs],
        ];
    }
  }
}
