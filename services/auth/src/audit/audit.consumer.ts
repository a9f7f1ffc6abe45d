import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { AuditEvent } from '@optralis/contracts';
import { JetStreamHandler, type Outcome, Outcomes } from '@optralis/nats';

import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditService } from './audit.service';

export const AUDIT_JOURNAL_DURABLE = 'auth-audit-journal';

/** Journals every `audit.recorded` message once; a redelivery finds its row and is skipped. */
@Controller()
export class AuditJournalConsumer {
  private readonly logger = new Logger(AuditJournalConsumer.name);

  constructor(private readonly audit: AuditService) {}

  // Appends to one tenant's chain are serialised in Postgres, so several may run at once.
  @JetStreamHandler('audit.recorded', { durable: AUDIT_JOURNAL_DURABLE, concurrency: 16 })
  async journal(@Payload() event: AuditEvent): Promise<Outcome> {
    try {
      const result = await this.audit.append(event);
      if (result === 'duplicate') return Outcomes.skipped(`audit event ${event.id} is already journaled`);
      return Outcomes.done();
    } catch (error) {
      if (error instanceof AuditError && error.code === AuditErrorCode.InvalidEvent) {
        this.logger.warn(
          { eventId: event.id, tenantId: event.tenantId, reason: error.message },
          'audit event refused',
        );
        return Outcomes.reject(error.message);
      }
      throw error;
    }
  }
}
