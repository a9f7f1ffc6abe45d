import { Injectable } from '@nestjs/common';

import type { AlertRecord } from './alert.types';

/** The open alerts of the partitions this instance evaluates, by tenant and dedup key. */
@Injectable()
export class AlertBook {
  private readonly open = new Map<string, AlertRecord>();

  private key(tenantId: string, dedupKey: string): string {
    return `${tenantId}\u0000${dedupKey}`;
  }

  get(tenantId: string, dedupKey: string): AlertRecord | undefined {
    return this.open.get(this.key(tenantId, dedupKey));
  }

  set(alert: AlertRecord): void {
    this.open.set(this.key(alert.tenantId, alert.dedupKey), alert);
  }

  delete(tenantId: string, dedupKey: string): void {
    this.open.delete(this.key(tenantId, dedupKey));
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
