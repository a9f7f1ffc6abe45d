import { Controller, Inject } from '@nestjs/common';
import type { StatusPageView } from '@optralis/contracts';
import { ApiTags } from '@nestjs/swagger';

import type { GatewayConfig } from '../config';
import { Downstream } from '../downstream/downstream.service';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { type BodyOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { PublicStatusService } from './public-status.service';
import { getStatusPageSettingsRoute, updateStatusPageSettingsRoute } from './status-page.routes';

type SettingsView = ResponseOf<typeof getStatusPageSettingsRoute>;

/** `/api/v1/status-page`: tenant admins configure their public status page (stored by auth). */
@ApiTags('Status page')
@Controller('api/v1/status-page')
export class StatusPageSettingsController {
  constructor(
    private readonly downstream: Downstream,
    private readonly status: PublicStatusService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Route(getStatusPageSettingsRoute)
  async get(@CurrentActor() actor: GatewayActor): Promise<SettingsView> {
    return this.withUrl(
      await this.downstream.call('rpc.auth.statusPage.get', { actor: downstreamActor(actor) }),
    );
  }

  @Route(updateStatusPageSettingsRoute)
  async update(
    @RouteBody() body: BodyOf<typeof updateStatusPageSettingsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<SettingsView> {
    const view = await this.downstream.call('rpc.auth.statusPage.update', {
      actor: downstreamActor(actor),
      ...body,
    });
    this.status.forget(view.slug);
    return this.withUrl(view);
  }

  private withUrl(view: StatusPageView): SettingsView {
    return { ...view, url: `${this.config.GATEWAY_PUBLIC_URL.replace(/\/+$/, '')}/status/${view.slug}` };
  }
}
