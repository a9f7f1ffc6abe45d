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
  createAlertRuleRoute,
  deleteAlertRuleRoute,
  getAlertRuleRoute,
  listAlertRulesRoute,
  updateAlertRuleRoute,
} from './alert-rules.routes';

type ById = ParamsOf<typeof getAlertRuleRoute>;

@ApiTags('Alerting')
@Controller('api/v1/alert-rules')
export class AlertRulesController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listAlertRulesRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listAlertRulesRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listAlertRulesRoute>> {
    return this.downstream.call('rpc.alerting.rules.list', { actor: downstreamActor(actor), ...query });
  }

  @Route(createAlertRuleRoute)
  create(
    @RouteBody() rule: BodyOf<typeof createAlertRuleRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createAlertRuleRoute>> {
    return this.downstream.call('rpc.alerting.rules.create', { actor: downstreamActor(actor), rule });
  }

  @Route(getAlertRuleRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getAlertRuleRoute>> {
    return this.downstream.call('rpc.alerting.rules.get', { actor: downstreamActor(actor), id });
  }

  @Route(updateAlertRuleRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() changes: BodyOf<typeof updateAlertRuleRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateAlertRuleRoute>> {
    return this.downstream.call('rpc.alerting.rules.update', { actor: downstreamActor(actor), id, changes });
  }

  @Route(deleteAlertRuleRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.alerting.rules.delete', { actor: downstreamActor(actor), id });
  }
}
