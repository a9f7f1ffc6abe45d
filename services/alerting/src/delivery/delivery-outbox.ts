import type { AlertNotification, DELIVERY_KINDS } from '@optralis/contracts';
import type { EntityManager } from 'typeorm';

export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export interface OutboxDelivery {
  id: string;
  tenantId: string;
  /** Null only for deliveries that belong to no alert. */
  alertId: string | null;
  channelId: string;
  kind: DeliveryKind;
  /** Unique per (alert, transition, channel): enqueueing the same notification again is a no-op. */
  idempotencyKey: string;
  payload: AlertNotification;
  /** When the sample behind a firing was taken; detection latency is measured from it. */
  sampleTime: Date | null;
}

/**
 * Writes notifications to the outbox inside the caller's transaction (so they exist exactly when the
 * alert change does); the dispatcher sends them once committed. Call `DeliveryWaker.wake()` after commit.
 */
export async function enqueueDeliveries(manager: EntityManager, rows: OutboxDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  const parameters: unknown[] = [];
  const values = rows.map((row) => {
    const payload: AlertNotification = { ...row.payload, deliveryId: row.payload.deliveryId || row.id };
    const first = parameters.length;
    parameters.push(
      row.id,
      row.tenantId,
      row.alertId,
      row.channelId,
      row.kind,
      row.idempotencyKey,
      JSON.stringify(payload),
      row.sampleTime,
    );
    const bindings = Array.from({ length: 8 }, (_, index) => `$${first + index + 1}`);
    // Milliseconds, the precision of page cursors, so a keyset never lands inside a timestamp.
    return `(${bindings.join(', ')}, date_trunc('milliseconds', now()))`;
  });
  await manager.query(
    `INSERT INTO "alerting"."deliveries"
       ("id", "tenant_id", "alert_id", "channel_id", "kind", "idempotency_key", "payload", "sample_time",
        "created_at")
     VALUES ${values.join(', ')}
     ON CONFLICT ("idempotency_key") DO NOTHING`,
    parameters,
  );
}
