import { Module } from '@nestjs/common';

import { AuditJournalConsumer } from './audit.consumer';
import { AuditRecorder } from './audit-recorder';
import { AuditRepository } from './audit.repository';
import { AuditRpc } from './audit.rpc';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditJournalConsumer, AuditRpc],
  providers: [AuditRepository, AuditService, AuditRecorder],
  exports: [AuditRecorder],
})
export class AuditModule {}
