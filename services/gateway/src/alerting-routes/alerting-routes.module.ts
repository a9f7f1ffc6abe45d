import { Module } from '@nestjs/common';

import { AlertRulesController } from './alert-rules.controller';
import { AlertingSettingsController } from './alerting-settings.controller';
import { AlertsController } from './alerts.controller';
import { ChannelsController, DeliveriesController } from './channels.controller';
import { EscalationPoliciesController } from './escalation-policies.controller';
import { MaintenanceWindowsController } from './maintenance-windows.controller';

/** Routes answered by services/alerting: rules, alerts, channels, deliveries, maintenance, escalation, settings. */
@Module({
  controllers: [
    AlertRulesController,
    AlertsController,
    ChannelsController,
    DeliveriesController,
    MaintenanceWindowsController,
    EscalationPoliciesController,
    AlertingSettingsController,
  ],
})
export class AlertingRoutesModule {}
