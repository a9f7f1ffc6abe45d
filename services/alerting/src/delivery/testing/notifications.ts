import { randomUUID } from 'node:crypto';

import type { AlertNotification } from '@optralis/contracts';
import type { DataSource } from 'typeorm';

import { type DeliveryKind, enqueueDeliveries } from '../delivery-outbox';

type AlertOverrides = Partial<AlertNotification['alert']>;

/** A firing threshold alert: "cpu.usage_pct is 97.2, above 90 for 2 min" on web-01. */
export function firingNotification(
  tenantId: string,
  overrides: { type?: AlertNotification['type']; alert?: AlertOverrides } = {},
): AlertNotification {
  const now = new Date().toISOString();
  return {
    version: 1,
    type: overrides.type ?? 'alert.firing',
    deliveryId: '',
    tenantId,
    time: now,
    alert: {
      id: randomUUID(),
      state: 'firing',
      previousState: 'pending',
      severity: 'critical',
      rule: { id: randomUUID(), name: 'cpu high', kind: 'threshold' },
      host: { id: 'host-web-01', name: 'web-01' },
      metric: 'cpu.usage_pct',
      labels: {},
      value: 97.2,
      explanation: { value: 97.2, operator: '>', level: 90, breachedForSeconds: 120 },
      summary: 'cpu.usage_pct is 97.2, above 90 for 2 min',
      startedAt: now,
      acknowledgedBy: null,
      escalationStep: null,
      ...overrides.alert,
    },
  };
}

export const anomalyAlert: AlertOverrides = {
  severity: 'warning',
  rule: { id: randomUUID(), name: 'latency anomaly', kind: 'anomaly' },
  metric: 'http.latency_ms',
  labels: { route: '/api' },
  value: 850,
  explanation: { value: 850, mean: 120, sigma: 40, z: 18.25, alpha: 0.3, warmupSamples: 30 },
  summary: 'http.latency_ms is 850, 18.3 σ above its usual 120',
};

const KINDS: Record<AlertNotification['type'], DeliveryKind> = {
  'alert.firing': 'firing',
  'alert.escalated': 'escalation',
  'alert.acknowledged': 'acknowledged',
  'alert.resolved': 'resolved',
  test: 'test',
};

/** Puts notifications in the outbox as the alert lifecycle does; returns the delivery ids. */
export async function enqueue(
  dataSource: DataSource,
  items: { channelId: string; notification: AlertNotification; sampleTime?: Date | null }[],
): Promise<string[]> {
  const rows = items.map(({ channelId, notification, sampleTime }) => ({
    id: randomUUID(),
    tenantId: notification.tenantId,
    alertId: notification.alert.id,
    channelId,
    kind: KINDS[notification.type],
    idempotencyKey: `${notification.alert.id}:${notification.type}:${channelId}:${randomUUID()}`,
    payload: notification,
    sampleTime: sampleTime ?? null,
  }));
  await dataSource.transaction((manager) => enqueueDeliveries(manager, rows));
  return rows.map((row) => row.id);
}

export interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  last_status_code: number | null;
  lease_until: Date | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
  payload: AlertNotification;
}

export async function deliveryState(dataSource: DataSource, id: string): Promise<DeliveryState> {
  const [row]: DeliveryState[] = await dataSource.query(
    `SELECT "id", "status", "attempts", "last_error", "last_status_code", "lease_until", "next_attempt_at",
            "delivered_at", "payload"
       FROM "alerting"."deliveries" WHERE "id" = $1`,
    [id],
  );
  if (!row) throw new Error(`no delivery ${id}`);
  return row;
}
