import { Module } from '@nestjs/common';

import { EscalationPolicySource } from '../shared/ports';
import { EscalationPoliciesRepository } from './escalation-policies.repository';
import { EscalationPoliciesRpc } from './escalation-policies.rpc';
import { EscalationPoliciesService } from './escalation-policies.service';

/** Escalation policies: `rpc.alerting.escalationPolicies.*` and the `EscalationPolicySource` alerts follow. */
@Module({
  controllers: [EscalationPoliciesRpc],
  providers: [
    EscalationPoliciesRepository,
    EscalationPoliciesService,
    { provide: EscalationPolicySource, useExisting: EscalationPoliciesService },
  ],
  exports: [EscalationPolicySource],
})
export class EscalationPoliciesModule {}
