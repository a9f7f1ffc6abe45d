import { Module } from '@nestjs/common';

import { RuleSource } from '../shared/ports';
import { RulesRepository } from './rules.repository';
import { RulesRpc } from './rules.rpc';
import { RulesService } from './rules.service';

/** Alert rules: `rpc.alerting.rules.*` and the `RuleSource` the evaluator reads. */
@Module({
  controllers: [RulesRpc],
  providers: [RulesRepository, RulesService, { provide: RuleSource, useExisting: RulesService }],
  exports: [RuleSource],
})
export class RulesModule {}
