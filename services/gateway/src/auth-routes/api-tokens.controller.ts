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
import { createApiTokenRoute, listApiTokensRoute, revokeApiTokenRoute } from './tokens.routes';

@ApiTags('Tokens')
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listApiTokensRoute)
  async list(
    @RouteQuery() query: QueryOf<typeof listApiTokensRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listApiTokensRoute>> {
    const { items } = await this.downstream.call('rpc.auth.apiTokens.list', {
      actor: downstreamActor(actor),
      includeRevoked: query.includeRevoked,
    });
    return { items, nextCursor: null };
  }

  @Route(createApiTokenRoute)
  create(
    @RouteBody() body: BodyOf<typeof createApiTokenRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createApiTokenRoute>> {
    return this.downstream.call('rpc.auth.apiTokens.create', { actor: downstreamActor(actor), ...body });
  }

  @Route(revokeApiTokenRoute)
  revoke(
    @RouteParams() { id }: ParamsOf<typeof revokeApiTokenRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof revokeApiTokenRoute>> {
    return this.downstream.call('rpc.auth.apiTokens.revoke', { actor: downstreamActor(actor), id });
  }
}
