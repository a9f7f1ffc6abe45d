import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { AuditEvent, TokenActor } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';
import { currentTrace } from '@optralis/observability';

export interface HostAuditEntry {
  actor: TokenActor;
  hostId: string;
  action: string;
  data: Record<string, unknown>;
}

/** Publishes `audit.recorded` for changes people make to hosts; auth appends them to its journal. */
@Injectable()
export class HostAuditTrail {
  private readonly logger = new Logger(HostAuditTrail.name);

  constructor(private readonly publisher: JetStreamPublisher) {}

  async record(entry: HostAuditEntry): Promise<void> {
    const event: AuditEvent = {
      id: randomUUID(),
      tenantId: entry.actor.tenantId,
      service: 'ingest',
      actor: { type: 'user', id: entry.actor.userId },
      action: entry.action,
      target: { type: 'host', id: entry.hostId },
      outcome: 'success',
      requestId: currentTrace()?.requestId,
      time: new Date().toISOString(),
      data: entry.data,
    };
    try {
      await this.publisher.publish('audit.recorded', event, { msgId: event.id });
    } catch (error) {
      // The change is committed already; the whole event in the log keeps it recoverable.
      this.logger.error({ event, error: (error as Error).message }, 'audit event not published');
    }
  }
}
