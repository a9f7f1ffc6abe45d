import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';
import { RpcMethod } from '@optralis/nats';

import { PublicIncidentsService } from './public-incidents.service';

/** `rpc.alerting.publicStatus.*`: what the gateway may show anonymous visitors of a tenant's status page. */
@Controller()
export class PublicStatusRpc {
  constructor(private readonly incidents: PublicIncidentsService) {}

  @RpcMethod('rpc.alerting.publicStatus.incidents')
  incidentsOf(
    @Payload() request: ParsedRequestOf<'rpc.alerting.publicStatus.incidents'>,
  ): Promise<ReplyOf<'rpc.alerting.publicStatus.incidents'>> {
    return this.incidents.open(asTenantId(request.tenantId), { tags: request.tags, limit: request.limit });
  }
}
