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
import { ackAlertRoute, getAlertRoute, listAlertsRoute } from './alerts.routes';

type ById = ParamsOf<typeof getAlertRoute>;

@ApiTags('Alerting')
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listAlertsRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listAlertsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listAlertsRoute>> {
    return this.downstream.call('rpc.alerting.alerts.list', { actor: downstreamActor(actor), ...query });
  }

  @Route(getAlertRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getAlertRoute>> {
    return this.downstream.call('rpc.alerting.alerts.get', { actor: downstreamActor(actor), id });
  }

  @Route(ackAlertRoute)
  acknowledge(
    @RouteParams() { id }: ById,
    @RouteBody() body: BodyOf<typeof ackAlertRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof ackAlertRoute>> {
    return this.downstream.call('rpc.alerting.alerts.ack', {
      actor: downstreamActor(actor),
      id,
      ...(body?.note === undefined ? {} : { note: body.note }),
    });
  }
}
