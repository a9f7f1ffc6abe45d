import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import {
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  Route,
} from '../openapi/route-definition';
import { RouteBody, RouteParams, RouteQuery } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import {
  createEscalationPolicyRoute,
  deleteEscalationPolicyRoute,
  getEscalationPolicyRoute,
  listEscalationPoliciesRoute,
  updateEscalationPolicyRoute,
} from './escalation-policies.routes';

type ById = ParamsOf<typeof getEscalationPolicyRoute>;

@ApiTags('Alerting')
@Controller('api/v1/escalation-policies')
export class EscalationPoliciesController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listEscalationPoliciesRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listEscalationPoliciesRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listEscalationPoliciesRoute>> {
    return this.downstream.call('rpc.alerting.escalationPolicies.list', {
      actor: downstreamActor(actor),
      ...query,
    });
  }

  @Route(createEscalationPolicyRoute)
  create(
    @RouteBody() policy: BodyOf<typeof createEscalationPolicyRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createEscalationPolicyRoute>> {
    return this.downstream.call('rpc.alerting.escalationPolicies.create', {
      actor: downstreamActor(actor),
      policy,
    });
  }

  @Route(getEscalationPolicyRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getEscalationPolicyRoute>> {
    return this.downstream.call('rpc.alerting.escalationPolicies.get', { actor: downstreamActor(actor), id });
  }

  @Route(updateEscalationPolicyRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() changes: BodyOf<typeof updateEscalationPolicyRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateEscalationPolicyRoute>> {
    return this.downstream.call('rpc.alerting.escalationPolicies.update', {
      actor: downstreamActor(actor),
      id,
      changes,
    });
  }

  @Route(deleteEscalationPolicyRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.alerting.escalationPolicies.delete', {
      actor: downstreamActor(actor),
      id,
    });
  }
}
