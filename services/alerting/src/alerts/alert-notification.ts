import type { AlertNotification, AlertState } from '@optralis/contracts';

import type { AlertNotificationType, AlertRecord } from './alert.types';

/** The body every channel renders (and a webhook receives as is). */
export function buildNotification(input: {
  alert: AlertRecord;
  type: AlertNotificationType;
  previousState: AlertState | null;
  deliveryId: string;
  time: Date;
  escalationStep?: number | null;
}): AlertNotification {
  const { alert } = input;
  return {
    version: 1,
    type: input.type,
    deliveryId: input.deliveryId,
    tenantId: alert.tenantId,
    time: input.time.toISOString(),
    alert: {
      id: alert.id,
      state: alert.state,
      previousState: input.previousState,
      severity: alert.severity,
      rule: { id: alert.ruleId, name: alert.ruleName, kind: alert.ruleKind },
      host: { id: alert.hostId, name: alert.hostName },
      metric: alert.metric,
      labels: alert.labels,
      value: alert.value,
      explanation: alert.explanation,
      summary: alert.summary,
      startedAt: alert.startedAt.toISOString(),
      acknowledgedBy: alert.acknowledgedBy,
      escalationStep: input.escalationStep ?? null,
    },
  };
}
