import { Module } from '@nestjs/common';

import { DeliveryModule } from '../delivery/delivery.module';
import { EscalationPoliciesModule } from '../escalation/escalation-policies.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { SettingsModule } from '../settings/settings.module';
import { AlertBook } from './alert-book';
import { AlertEventRelay } from './alert-event.relay';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueriesRepository } from './alert-queries.repository';
import { AlertsRepository } from './alerts.repository';
import { AlertsRpc } from './alerts.rpc';
import { AlertsService } from './alerts.service';
import { EscalationScheduler } from './escalation.scheduler';
import { PartitionWrites } from './partition-writes.service';

@Module({
  imports: [DeliveryModule, MaintenanceModule, SettingsModule, EscalationPoliciesModule],
  controllers: [AlertsRpc],
  providers: [
    AlertBook,
    AlertsRepository,
    AlertQueriesRepository,
    AlertLifecycleService,
    AlertEventRelay,
    AlertsService,
    EscalationScheduler,
    PartitionWrites,
  ],
  exports: [AlertBook, AlertLifecycleService, AlertsRepository, PartitionWrites],
})
export class AlertsModule {}
