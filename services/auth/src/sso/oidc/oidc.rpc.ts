import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../../shared/rpc-edge';
import { OidcService } from './oidc.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class OidcRpc {
  constructor(private readonly oidc: OidcService) {}

  @RpcMethod('rpc.auth.oidc.begin')
  begin(request: In<'rpc.auth.oidc.begin'>): Out<'rpc.auth.oidc.begin'> {
    return answer(() => this.oidc.begin(request.providerId, request.redirectUri));
  }

  @RpcMethod('rpc.auth.oidc.complete')
  complete(request: In<'rpc.auth.oidc.complete'>): Out<'rpc.auth.oidc.complete'> {
    return answer(() => this.oidc.complete(request.providerId, request.callbackUrl));
  }
}
