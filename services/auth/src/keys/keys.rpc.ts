import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { KeysService } from './keys.service';

@Controller()
export class KeysRpc {
  constructor(private readonly keys: KeysService) {}

  @RpcMethod('rpc.auth.jwks')
  jwks(): Promise<ReplyOf<'rpc.auth.jwks'>> {
    return answer(() => this.keys.jwks());
  }

  @RpcMethod('rpc.auth.tokens.verifyAccess')
  verifyAccess(
    request: ParsedRequestOf<'rpc.auth.tokens.verifyAccess'>,
  ): Promise<ReplyOf<'rpc.auth.tokens.verifyAccess'>> {
    return answer(() => this.keys.verifyAccess(request.token));
  }
}
