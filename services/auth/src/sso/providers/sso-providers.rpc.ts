import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../../shared/rpc-edge';
import { SsoProvidersService } from './sso-providers.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class SsoProvidersRpc {
  constructor(private readonly providers: SsoProvidersService) {}

  @RpcMethod('rpc.auth.ssoProviders.create')
  create(request: In<'rpc.auth.ssoProviders.create'>): Out<'rpc.auth.ssoProviders.create'> {
    const { actor, ...input } = request;
    return answer(() => this.providers.create(actor, input));
  }

  @RpcMethod('rpc.auth.ssoProviders.list')
  async list(request: In<'rpc.auth.ssoProviders.list'>): Out<'rpc.auth.ssoProviders.list'> {
    return { items: await answer(() => this.providers.list(request.actor)) };
  }

  @RpcMethod('rpc.auth.ssoProviders.get')
  get(request: In<'rpc.auth.ssoProviders.get'>): Out<'rpc.auth.ssoProviders.get'> {
    return answer(() => this.providers.get(request.actor, request.providerId));
  }

  @RpcMethod('rpc.auth.ssoProviders.update')
  update(request: In<'rpc.auth.ssoProviders.update'>): Out<'rpc.auth.ssoProviders.update'> {
    const { actor, providerId, ...change } = request;
    return answer(() => this.providers.update(actor, providerId, change));
  }

  @RpcMethod('rpc.auth.ssoProviders.delete')
  delete(request: In<'rpc.auth.ssoProviders.delete'>): Out<'rpc.auth.ssoProviders.delete'> {
    return answer(() => this.providers.delete(request.actor, request.providerId));
  }
}
