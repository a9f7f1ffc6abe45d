import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { JetStreamPublisher } from '@optralis/nats';

/** Tenant of audit events that belong to no tenant yet, such as a failed login for an unknown email. */
export const PLATFORM_AUDIT_TENANT = 'platform';

export interface AuditEntry {
  tenantId: string;
  actor: { type: 'user' | 'system'; id: string; name?: string };
  action: string;
  target?: { type: string; id: string };
  outcome?: 'success' | 'failure';
  data?: Record<string, unknown>;
}

/** Publishes `audit.recorded` for every security-relevant action; the journal consumer stores it. */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(private readonly publisher: JetStreamPublisher) {}

  async record(entry: AuditEntry): Promise<void> {
    const id = randomUUID();
    const event = {
      id,
      service: 'auth' as const,
      time: new Date().toISOString(),
      outcome: entry.outcome ?? 'success',
      data: entry.data ?? {},
      tenantId: entry.tenantId,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
    };
    try {
      await this.publisher.publish('audit.recorded', event, { msgId: id });
    } catch (error) {
      // The action already happened; the full event in the log keeps it recoverable.
      this.logger.error({ error: (error as Error).message, event }, 'audit event not published');
    }
  }
}
