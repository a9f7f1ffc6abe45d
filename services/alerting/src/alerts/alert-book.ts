import { Injectable } from '@nestjs/common';

import type { AlertRecord } from './alert.types';

/** How the book, the replay positions and the flapping history key a dedup key. */
export const alertKey = (tenantId: string, dedupKey: string): string => `${tenantId}\u0000${dedupKey}`;

/** The open alerts of the partitions this instance evaluates, by tenant and dedup key. */
@Injectable()
export class AlertBook {
  private readonly open = new Map<string, AlertRecord>();

  get(tenantId: string, dedupKey: string): AlertRecord | undefined {
    return this.open.get(alertKey(tenantId, dedupKey));
  }

  set(alert: AlertRecord): void {
    this.open.set(alertKey(alert.tenantId, alert.dedupKey), alert);
  }

  delete(tenantId: string, dedupKey: string): void {
    this.open.delete(alertKey(tenantId, dedupKey));
  }

  /** Forgets a partition given up (another instance took it) before loading one taken over. */
  dropPartition(partition: number): void {
    for (const [key, alert] of this.open) if (alert.partition === partition) this.open.delete(key);
  }

  load(alerts: AlertRecord[]): void {
    for (const alert of alerts) this.set(alert);
  }

  countBySeverity(): Record<string, number> {
    const counts: Record<string, number> = { info: 0, warning: 0, critical: 0 };
    for (const alert of this.open.values()) counts[alert.severity] = (counts[alert.severity] ?? 0) + 1;
    return counts;
  }
}
