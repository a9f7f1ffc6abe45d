import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import { type BodyOf, type ParamsOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody, RouteParams } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import {
  createSsoProviderRoute,
  deleteSsoProviderRoute,
  getSsoProviderRoute,
  listSsoProvidersRoute,
  updateSsoProviderRoute,
} from './sso-providers.routes';

type ById = ParamsOf<typeof getSsoProviderRoute>;

@ApiTags('Single sign-on')
@Controller('api/v1/sso-providers')
export class SsoProvidersController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listSsoProvidersRoute)
  async list(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof listSsoProvidersRoute>> {
    const { items } = await this.downstream.call('rpc.auth.ssoProviders.list', {
      actor: downstreamActor(actor),
    });
    return { items, nextCursor: null };
  }

  @Route(createSsoProviderRoute)
  create(
    @RouteBody() body: BodyOf<typeof createSsoProviderRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createSsoProviderRoute>> {
    return this.downstream.call('rpc.auth.ssoProviders.create', { actor: downstreamActor(actor), ...body });
  }

  @Route(getSsoProviderRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getSsoProviderRoute>> {
    return this.downstream.call('rpc.auth.ssoProviders.get', {
      actor: downstreamActor(actor),
      providerId: id,
    });
  }

  @Route(updateSsoProviderRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() body: BodyOf<typeof updateSsoProviderRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateSsoProviderRoute>> {
    return this.downstream.call('rpc.auth.ssoProviders.update', {
      actor: downstreamActor(actor),
      providerId: id,
      ...body,
    });
  }

  @Route(deleteSsoProviderRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.auth.ssoProviders.delete', {
      actor: downstreamActor(actor),
      providerId: id,
    });
  }
}
