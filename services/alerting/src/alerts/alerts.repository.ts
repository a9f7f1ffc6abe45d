import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { AlertChanged } from '@optralis/contracts';
import { DataSource, type EntityManager } from 'typeorm';

import { enqueueDeliveries } from '../delivery/delivery-outbox';
import { alertKey } from './alert-book';
import { buildNotification } from './alert-notification';
import type { AlertNotificationType, AlertRecord, AlertTransitionWrite } from './alert.types';
import { fromRow, type AlertRow, ALERT_COLUMNS } from './alert-row';

const DELIVERY_KIND: Record<AlertNotificationType, 'firing' | 'resolved' | 'acknowledged' | 'escalation'> = {
  'alert.firing': 'firing',
  'alert.resolved': 'resolved',
  'alert.acknowledged': 'acknowledged',
  'alert.escalated': 'escalation',
};

/** All SQL of the alert lifecycle: rows, transitions, replay guard, ALERTS outbox, deliveries, escalations. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async openAlerts(partitions: number[]): Promise<AlertRecord[]> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts" WHERE "state" <> 'resolved' AND "partition" = ANY($1)`,
      [partitions],
    );
    return rows.map(fromRow);
  }

  /**
   * Writes changes in order in one transaction; answers those the replay guard refused because their dedup
   * key had already seen a later stream sequence (they change nothing).
   */
  async writeMany(changes: AlertTransitionWrite[]): Promise<AlertTransitionWrite[]> {
    return this.dataSource.transaction(async (manager) => {
      const refused: AlertTransitionWrite[] = [];
      for (const change of changes) {
        if (change.streamSeq !== null && !(await this.advance(manager, change))) {
          refused.push(change);
          continue;
        }
        await this.saveAlert(manager, change);
        await this.recordTransition(manager, change);
        await this.recordEvent(manager, change);
        await this.notify(manager, change);
        await this.escalate(manager, change);
      }
      return refused;
    });
  }

  /** Dedup keys of a partition whose newest committed transition came after `afterSeq`. */
  async positionsAfter(partition: number, afterSeq: number): Promise<Map<string, number>> {
    const rows: { tenant_id: string; dedup_key: string; stream_seq: string }[] = await this.dataSource.query(
      `SELECT "tenant_id", "dedup_key", "stream_seq" FROM "alerting"."dedup_positions"
        WHERE "partition" = $1 AND "stream_seq" > $2`,
      [partition, afterSeq],
    );
    return new Map(rows.map((row) => [alertKey(row.tenant_id, row.dedup_key), Number(row.stream_seq)]));
  }

  /** Non-pending transition times of a partition's dedup keys since `since` (flapping history). */
  async transitionTimes(
    partition: number,
    since: Date,
  ): Promise<{ tenantId: string; dedupKey: string; time: Date }[]> {
    const rows: { tenant_id: string; dedup_key: string; time: Date }[] = await this.dataSource.query(
      `SELECT t."tenant_id", t."dedup_key", t."time" FROM "alerting"."alert_transitions" t
         JOIN "alerting"."alerts" a ON a."id" = t."alert_id"
        WHERE a."partition" = $1 AND t."time" >= $2 AND t."to_state" NOT IN ('pending', 'acknowledged')
        ORDER BY t."time"`,
      [partition, since],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, dedupKey: row.dedup_key, time: row.time }));
  }

  /** The open alert of a dedup key as committed (to repair the book after a refused write). */
  async openAlert(tenantId: string, dedupKey: string): Promise<AlertRecord | undefined> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts"
        WHERE "tenant_id" = $1 AND "dedup_key" = $2 AND "state" <> 'resolved'`,
      [tenantId, dedupKey],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Locks an open alert for a change made by a person (acknowledge); undefined when missing. */
  async lockForChange<T>(
    tenantId: string,
    id: string,
    work: (
      alert: AlertRecord | undefined,
      save: (change: AlertTransitionWrite) => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const rows: AlertRow[] = await manager.query(
        `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts" WHERE "tenant_id" = $1 AND "id" = $2 FOR UPDATE`,
        [tenantId, id],
      );
      const save = async (change: AlertTransitionWrite): Promise<void> => {
        await this.saveAlert(manager, change);
        await this.recordTransition(manager, change);
        await this.recordEvent(manager, change);
        await this.notify(manager, change);
        await this.escalate(manager, change);
      };
      return work(rows[0] ? fromRow(rows[0]) : undefined, save);
    });
  }

  private async advance(manager: EntityManager, change: AlertTransitionWrite): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO "alerting"."dedup_positions" ("tenant_id", "dedup_key", "stream_seq", "partition")
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ("tenant_id", "dedup_key") DO UPDATE
         SET "stream_seq" = EXCLUDED."stream_seq", "partition" = EXCLUDED."partition"
         WHERE "dedup_positions"."stream_seq" < EXCLUDED."stream_seq"
       RETURNING 1`,
      [change.alert.tenantId, change.alert.dedupKey, change.streamSeq, change.alert.partition],
    );
    return rows.length > 0;
  }

  private async saveAlert(manager: EntityManager, { alert, isNew }: AlertTransitionWrite): Promise<void> {
    if (isNew) {
      await manager.query(
        `INSERT INTO "alerting"."alerts" ("id", "tenant_id", "rule_id", "rule_name", "rule_kind", "host_id",
           "host_name", "metric", "labels", "dedup_key", "severity", "state", "flapping", "value", "explanation",
           "summary", "partition", "escalation_policy_id", "channel_ids", "started_at", "firing_at", "host_tags",
           "updated_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
           now())`,
        [
          alert.id,
          alert.tenantId,
          alert.ruleId,
          alert.ruleName,
          alert.ruleKind,
          alert.hostId,
          alert.hostName,
          alert.metric,
          JSON.stringify(alert.labels),
          alert.dedupKey,
          alert.severity,
          alert.state,
          alert.flapping,
          alert.value,
          alert.explanation === null ? null : JSON.stringify(alert.explanation),
          alert.summary,
          alert.partition,
          alert.escalationPolicyId,
          alert.channelIds,
          alert.startedAt,
          alert.firingAt,
          alert.hostTags,
        ],
      );
      return;
    }
    await manager.query(
      // An acknowledgement may have been made by another instance since this one loaded the alert: keep it.
      `UPDATE "alerting"."alerts" SET "severity" = $3,
         "state" = CASE WHEN "state" = 'acknowledged' AND $4 = 'firing' THEN 'acknowledged' ELSE $4 END,
         "flapping" = $5, "value" = $6, "explanation" = $7, "summary" = $8, "firing_at" = $9,
         "acknowledged_at" = COALESCE($10, "acknowledged_at"), "acknowledged_by" = COALESCE($11, "acknowledged_by"),
         "resolved_at" = $12, "host_tags" = $13, "updated_at" = now()
       WHERE "tenant_id" = $1 AND "id" = $2`,
      [
        alert.tenantId,
        alert.id,
        alert.severity,
        alert.state,
        alert.flapping,
        alert.value,
        alert.explanation === null ? null : JSON.stringify(alert.explanation),
        alert.summary,
        alert.firingAt,
        alert.acknowledgedAt,
        alert.acknowledgedBy,
        alert.resolvedAt,
        alert.hostTags,
      ],
    );
  }

  private async recordTransition(manager: EntityManager, change: AlertTransitionWrite): Promise<void> {
    const { alert } = change;
    await manager.query(
      `INSERT INTO "alerting"."alert_transitions" ("alert_id", "tenant_id", "dedup_key", "from_state", "to_state",
         "severity", "value", "summary", "actor", "time") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        alert.id,
        alert.tenantId,
        alert.dedupKey,
        change.previousState,
        alert.state,
        alert.severity,
        alert.value,
        alert.summary,
        change.actor,
        change.time,
      ],
    );
  }

  private async recordEvent(manager: EntityManager, change: AlertTransitionWrite): Promise<void> {
    const { alert } = change;
    const event: AlertChanged = {
      id: randomUUID(),
      alertId: alert.id,
      tenantId: alert.tenantId,
      ruleId: alert.ruleId,
      ruleName: alert.ruleName,
      ruleKind: alert.ruleKind,
      hostId: alert.hostId,
      hostName: alert.hostName,
      ...(alert.metric === null ? {} : { metric: alert.metric }),
      labels: alert.labels,
      severity: alert.severity,
      state: alert.state,
      ...(change.previousState === null ? {} : { previousState: change.previousState }),
      value: alert.value,
      ...(alert.explanation === null ? {} : { explanation: alert.explanation }),
      summary: alert.summary.slice(0, 2000),
      ...(alert.acknowledgedBy === null ? {} : { acknowledgedBy: alert.acknowledgedBy }),
      time: change.time.toISOString(),
    };
    await manager.query(`INSERT INTO "alerting"."event_outbox" ("event") VALUES ($1)`, [
      JSON.stringify(event),
    ]);
  }

  private async notify(manager: EntityManager, change: AlertTransitionWrite): Promise<void> {
    const targets = new Map<string, AlertNotificationType>();
    if (change.notifyPreviouslyNotified) {
      const rows: { channel_id: string }[] = await manager.query(
        `SELECT DISTINCT "channel_id" FROM "alerting"."deliveries"
          WHERE "tenant_id" = $1 AND "alert_id" = $2 AND "kind" IN ('firing', 'escalation')`,
        [change.alert.tenantId, change.alert.id],
      );
      for (const row of rows) targets.set(row.channel_id, change.notifyPreviouslyNotified);
    }
    for (const channelId of change.notify?.channelIds ?? []) targets.set(channelId, change.notify!.type);
    if (targets.size === 0) return;
    const transition = `${change.alert.state}:${change.streamSeq ?? change.time.getTime()}`;
    await enqueueDeliveries(
      manager,
      [...targets].map(([channelId, type]) => {
        const id = randomUUID();
        return {
          id,
          tenantId: change.alert.tenantId,
          alertId: change.alert.id,
          channelId,
          kind: DELIVERY_KIND[type],
          idempotencyKey: `${change.alert.id}:${transition}:${channelId}`,
          payload: buildNotification({
            alert: change.alert,
            type,
            previousState: change.previousState,
            deliveryId: id,
            time: change.time,
          }),
          sampleTime: type === 'alert.firing' ? change.sampleTime : null,
        };
      }),
    );
  }

  private async escalate(manager: EntityManager, change: AlertTransitionWrite): Promise<void> {
    if (!change.escalation) return;
    if ('start' in change.escalation) {
      await manager.query(
        `INSERT INTO "alerting"."escalations" ("alert_id", "tenant_id", "policy_id", "base_time", "next_at")
         SELECT $1, $2, p."id", $3, $3::timestamptz + make_interval(mins => (p."steps"->0->>'afterMinutes')::int)
           FROM "alerting"."escalation_policies" p WHERE p."tenant_id" = $2 AND p."id" = $4
         ON CONFLICT ("alert_id") DO NOTHING`,
        [change.alert.id, change.alert.tenantId, change.time, change.escalation.start],
      );
      return;
    }
    await manager.query(
      `UPDATE "alerting"."escalations" SET "state" = $3 WHERE "tenant_id" = $1 AND "alert_id" = $2 AND "state" = 'active'`,
      [change.alert.tenantId, change.alert.id, change.escalation.end],
    );
  }
}
