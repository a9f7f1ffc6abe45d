import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import { AlertingConfigModule } from './alerting.config.provider';
import { AlertsModule } from './alerts/alerts.module';
import { ChannelsModule } from './channels/channels.module';
import type { AlertingConfig } from './config';
import { DeliveryModule } from './delivery/delivery.module';
import { EscalationPoliciesModule } from './escalation/escalation-policies.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { alertingMigrations } from './migrations';
import { RulesModule } from './rules/rules.module';
import { SettingsModule } from './settings/settings.module';
import { AlertingSharedModule } from './shared/shared.module';
import { StatusModule } from './status/status.module';

@Module({})
export class AppModule {
  static forRoot(config: AlertingConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'alerting', version, config, migrations: alertingMigrations }),
        AlertingConfigModule.forRoot(config),
        AlertingSharedModule,
        SettingsModule,
        RulesModule,
        MaintenanceModule,
        EscalationPoliciesModule,
        ChannelsModule,
        DeliveryModule,
        AlertsModule,
        EvaluationModule,
        StatusModule,
      ],
    };
  }
}
