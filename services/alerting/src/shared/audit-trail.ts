import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { AuditEvent, TokenActor } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';
import { currentTrace } from '@optralis/observability';

export interface AuditEntry {
  actor: TokenActor;
  action: string;
  target: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** Publishes `audit.recorded` for changes people make (rules, channels, …); auth journals them. */
@Injectable()
export class AlertingAuditTrail {
  private readonly logger = new Logger(AlertingAuditTrail.name);

  constructor(private readonly publisher: JetStreamPublisher) {}

  async record(entry: AuditEntry): Promise<void> {
    const event: AuditEvent = {
      id: randomUUID(),
      tenantId: entry.actor.tenantId,
      service: 'alerting',
      actor: { type: 'user', id: entry.actor.userId },
      action: entry.action,
      target: entry.target,
      outcome: 'success',
      requestId: currentTrace()?.requestId,
      time: new Date().toISOString(),
      data: entry.data ?? {},
    };
    try {
      await this.publisher.publish('audit.recorded', event, { msgId: event.id });
    } catch (error) {
      // The change is committed already; the whole event in the log keeps it recoverable.
      this.logger.error({ event, error: (error as Error).message }, 'audit event not published');
    }
  }
}
