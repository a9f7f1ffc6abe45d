import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { TenantsService } from './tenants.service';

@Controller()
export class TenantsRpc {
  constructor(private readonly tenants: TenantsService) {}

  @RpcMethod('rpc.auth.tenants.list')
  list(request: ParsedRequestOf<'rpc.auth.tenants.list'>): Promise<ReplyOf<'rpc.auth.tenants.list'>> {
    return answer(() => this.tenants.list(request.actor));
  }

  @RpcMethod('rpc.auth.tenants.create')
  create(request: ParsedRequestOf<'rpc.auth.tenants.create'>): Promise<ReplyOf<'rpc.auth.tenants.create'>> {
    return answer(() => this.tenants.create(request.actor, { slug: request.slug, name: request.name }));
  }
}
