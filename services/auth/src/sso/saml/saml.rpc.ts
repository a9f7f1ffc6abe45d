import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../../shared/rpc-edge';
import { SamlService } from './saml.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class SamlRpc {
  constructor(private readonly saml: SamlService) {}

  @RpcMethod('rpc.auth.saml.metadata')
  metadata(request: In<'rpc.auth.saml.metadata'>): Out<'rpc.auth.saml.metadata'> {
    return answer(() => this.saml.metadata(request.providerId));
  }

  @RpcMethod('rpc.auth.saml.begin')
  begin(request: In<'rpc.auth.saml.begin'>): Out<'rpc.auth.saml.begin'> {
    return answer(() => this.saml.begin(request.providerId, request.relayState));
  }

  /** The posted RelayState is not trusted: the reply carries the one `begin` stored. */
  @RpcMethod('rpc.auth.saml.acs')
  acs(request: In<'rpc.auth.saml.acs'>): Out<'rpc.auth.saml.acs'> {
    return answer(() => this.saml.acs(request.providerId, request.samlResponse));
  }
}
