import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';
import { RpcMethod } from '@optralis/nats';

import { HostGroupsService } from './host-groups.service';

/** `rpc.ingest.publicStatus.*`: what the gateway may show anonymous visitors of a tenant's status page. */
@Controller()
export class PublicStatusRpc {
  constructor(private readonly groups: HostGroupsService) {}

  @RpcMethod('rpc.ingest.publicStatus.hostGroups')
  async hostGroups(
    @Payload() request: ParsedRequestOf<'rpc.ingest.publicStatus.hostGroups'>,
  ): Promise<ReplyOf<'rpc.ingest.publicStatus.hostGroups'>> {
    return { groups: await this.groups.summarise(asTenantId(request.tenantId), request.tags) };
  }
}
