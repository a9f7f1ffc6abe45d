import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { EscalationPoliciesService } from './escalation-policies.service';

/** `rpc.alerting.escalationPolicies.*`. */
@Controller()
export class EscalationPoliciesRpc {
  constructor(private readonly policies: EscalationPoliciesService) {}

  @RpcMethod('rpc.alerting.escalationPolicies.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.escalationPolicies.list'>,
  ): Promise<ReplyOf<'rpc.alerting.escalationPolicies.list'>> {
    return answer(() => this.policies.list(request.actor, request));
  }

  @RpcMethod('rpc.alerting.escalationPolicies.get')
  get(
    @Payload() request: ParsedRequestOf<'rpc.alerting.escalationPolicies.get'>,
  ): Promise<ReplyOf<'rpc.alerting.escalationPolicies.get'>> {
    return answer(() => this.policies.get(request.actor, request.id));
  }

  @RpcMethod('rpc.alerting.escalationPolicies.create')
  create(
    @Payload() request: ParsedRequestOf<'rpc.alerting.escalationPolicies.create'>,
  ): Promise<ReplyOf<'rpc.alerting.escalationPolicies.create'>> {
    return answer(() => this.policies.create(request.actor, request.policy));
  }

  @RpcMethod('rpc.alerting.escalationPolicies.update')
  update(
    @Payload() request: ParsedRequestOf<'rpc.alerting.escalationPolicies.update'>,
  ): Promise<ReplyOf<'rpc.alerting.escalationPolicies.update'>> {
    return answer(() => this.policies.update(request.actor, request.id, request.changes));
  }

  @RpcMethod('rpc.alerting.escalationPolicies.delete')
  delete(
    @Payload() request: ParsedRequestOf<'rpc.alerting.escalationPolicies.delete'>,
  ): Promise<ReplyOf<'rpc.alerting.escalationPolicies.delete'>> {
    return answer(async () => {
      await this.policies.remove(request.actor, request.id);
      return { id: request.id, deleted: true as const };
    });
  }
}
