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
import { createIngestTokenRoute, listIngestTokensRoute, revokeIngestTokenRoute } from './tokens.routes';

@ApiTags('Tokens')
@Controller('api/v1/ingest-tokens')
export class IngestTokensController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listIngestTokensRoute)
  async list(
    @RouteQuery() query: QueryOf<typeof listIngestTokensRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listIngestTokensRoute>> {
    const { items } = await this.downstream.call('rpc.auth.ingestTokens.list', {
      actor: downstreamActor(actor),
      includeRevoked: query.includeRevoked,
    });
    return { items, nextCursor: null };
  }

  @Route(createIngestTokenRoute)
  create(
    @RouteBody() body: BodyOf<typeof createIngestTokenRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createIngestTokenRoute>> {
    return this.downstream.call('rpc.auth.ingestTokens.create', { actor: downstreamActor(actor), ...body });
  }

  @Route(revokeIngestTokenRoute)
  revoke(
    @RouteParams() { id }: ParamsOf<typeof revokeIngestTokenRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof revokeIngestTokenRoute>> {
    return this.downstream.call('rpc.auth.ingestTokens.revoke', { actor: downstreamActor(actor), id });
  }
}
