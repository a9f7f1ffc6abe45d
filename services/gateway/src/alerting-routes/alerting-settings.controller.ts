import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import { type BodyOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { getAlertingSettingsRoute, updateAlertingSettingsRoute } from './alerting-settings.routes';

@ApiTags('Alerting')
@Controller('api/v1/alerting-settings')
export class AlertingSettingsController {
  constructor(private readonly downstream: Downstream) {}

  @Route(getAlertingSettingsRoute)
  get(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof getAlertingSettingsRoute>> {
    return this.downstream.call('rpc.alerting.settings.get', { actor: downstreamActor(actor) });
  }

  @Route(updateAlertingSettingsRoute)
  update(
    @RouteBody() body: BodyOf<typeof updateAlertingSettingsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateAlertingSettingsRoute>> {
    return this.downstream.call('rpc.alerting.settings.update', { actor: downstreamActor(actor), ...body });
  }
}
