import { Module } from '@nestjs/common';

import { AlertsModule } from '../alerts/alerts.module';
import { RulesModule } from '../rules/rules.module';
import { SettingsModule } from '../settings/settings.module';
import { CheckpointRepository } from './checkpoint.repository';
import { EvaluationMetrics } from './evaluation.metrics';
import { EvaluationService } from './evaluation.service';
import { OfflineEvaluator } from './offline.evaluator';
import { ReportEvaluator } from './report-evaluator';
import { RuleIndex } from './rule-index.service';
import { TenantAnomalySettings } from './tenant-anomaly.settings';

@Module({
  imports: [AlertsModule, RulesModule, SettingsModule],
  providers: [
    RuleIndex,
    TenantAnomalySettings,
    OfflineEvaluator,
    ReportEvaluator,
    CheckpointRepository,
    EvaluationMetrics,
    EvaluationService,
  ],
  exports: [EvaluationService],
})
export class EvaluationModule {}
