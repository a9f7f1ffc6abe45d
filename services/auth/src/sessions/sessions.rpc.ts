import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { SessionsService } from './sessions.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class SessionsRpc {
  constructor(private readonly sessions: SessionsService) {}

  @RpcMethod('rpc.auth.login')
  login(request: In<'rpc.auth.login'>): Out<'rpc.auth.login'> {
    return answer(() => this.sessions.login(request));
  }

  @RpcMethod('rpc.auth.refresh')
  refresh(request: In<'rpc.auth.refresh'>): Out<'rpc.auth.refresh'> {
    return answer(() => this.sessions.refresh(request.refreshToken));
  }

  @RpcMethod('rpc.auth.logout')
  logout(request: In<'rpc.auth.logout'>): Out<'rpc.auth.logout'> {
    return answer(() => this.sessions.logout(request));
  }

  @RpcMethod('rpc.auth.switchTenant')
  switchTenant(request: In<'rpc.auth.switchTenant'>): Out<'rpc.auth.switchTenant'> {
    const { tenantId, ...proof } = request;
    return answer(() => this.sessions.switchTenant(proof, tenantId));
  }
}
