import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { AuditEvent } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';

export type AuditInput = Pick<AuditEvent, 'tenantId' | 'actor' | 'action'> &
  Partial<Pick<AuditEvent, 'target' | 'outcome' | 'requestId' | 'ip' | 'data'>>;

/** How auth itself writes to the journal: an `audit.recorded` message, like every other service. */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger(AuditRecorder.name);

  constructor(private readonly publisher: JetStreamPublisher) {}

  /**
   * The action already happened when this runs, so a failed publish is logged with the whole event
   * (to be replayed from the logs) rather than failing the caller's request.
   */
  async record(input: AuditInput): Promise<void> {
    const event: AuditEvent = {
      id: randomUUID(),
      service: 'auth',
      outcome: 'success',
      time: new Date().toISOString(),
      data: {},
      ...input,
    };
    try {
      await this.publisher.publish('audit.recorded', event, { msgId: event.id });
    } catch (error) {
      this.logger.error({ event, error: (error as Error).message }, 'audit event not published');
    }
  }
}
