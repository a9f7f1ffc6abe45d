import { randomUUID } from 'node:crypto';

import type { AlertNotification } from '@optralis/contracts';

/** What the test button sends: a `test` notification that reads as one and needs no action. */
export function testNotification(
  channel: { tenantId: string; name: string },
  now: Date = new Date(),
): AlertNotification {
  const time = now.toISOString();
  return {
    version: 1,
    type: 'test',
    deliveryId: randomUUID(),
    tenantId: channel.tenantId,
    time,
    alert: {
      id: randomUUID(),
      state: 'firing',
      previousState: null,
      severity: 'info',
      rule: { id: randomUUID(), name: 'Test notification', kind: 'threshold' },
      host: { id: 'optralis', name: 'optralis' },
      metric: null,
      labels: {},
      value: null,
      explanation: null,
      summary: `this is a test of the channel "${channel.name}" from Optralis; no action is needed`,
      startedAt: time,
      acknowledgedBy: null,
      escalationStep: null,
    },
  };
}
