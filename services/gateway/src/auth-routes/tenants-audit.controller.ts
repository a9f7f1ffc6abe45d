import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import { type BodyOf, type QueryOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody, RouteQuery } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import {
  createTenantRoute,
  listAuditRoute,
  listTenantsRoute,
  verifyAuditRoute,
} from './tenants-audit.routes';

@ApiTags('Tenants')
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listTenantsRoute)
  async list(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof listTenantsRoute>> {
    const { items } = await this.downstream.call('rpc.auth.tenants.list', { actor: downstreamActor(actor) });
    return { items, nextCursor: null };
  }

  @Route(createTenantRoute)
  create(
    @RouteBody() body: BodyOf<typeof createTenantRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createTenantRoute>> {
    return this.downstream.call('rpc.auth.tenants.create', { actor: downstreamActor(actor), ...body });
  }
}

@ApiTags('Audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listAuditRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listAuditRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listAuditRoute>> {
    const { actorType, actorId, action, from, to, limit, cursor } = query;
    return this.downstream.call('rpc.auth.audit.list', {
      actor: downstreamActor(actor),
      filter: { ...(actorId ? { actor: { type: actorType, id: actorId } } : {}), action, from, to },
      limit,
      cursor,
    });
  }

  @Route(verifyAuditRoute)
  verify(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof verifyAuditRoute>> {
    return this.downstream.call('rpc.auth.audit.verify', {
      tenantId: actor.tenantId,
      actor: downstreamActor(actor),
    });
  }
}
