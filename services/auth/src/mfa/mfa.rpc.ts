import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { MfaLoginService } from './mfa-login.service';
import { MfaService } from './mfa.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class MfaRpc {
  constructor(
    private readonly mfa: MfaService,
    private readonly login: MfaLoginService,
  ) {}

  @RpcMethod('rpc.auth.mfa.enroll')
  enroll(request: In<'rpc.auth.mfa.enroll'>): Out<'rpc.auth.mfa.enroll'> {
    return answer(async () => {
      if ('mfaToken' in request) return this.login.enroll(request.mfaToken);
      return this.mfa.enroll(request.actor.tenantId, await this.mfa.memberOf(request.actor));
    });
  }

  @RpcMethod('rpc.auth.mfa.confirm')
  confirm(request: In<'rpc.auth.mfa.confirm'>): Out<'rpc.auth.mfa.confirm'> {
    return answer(async () => {
      if ('mfaToken' in request) return this.login.confirm(request.mfaToken, request.code);
      const member = await this.mfa.memberOf(request.actor);
      return { recoveryCodes: await this.mfa.confirm(request.actor.tenantId, member, request.code) };
    });
  }

  @RpcMethod('rpc.auth.mfa.verify')
  verify(request: In<'rpc.auth.mfa.verify'>): Out<'rpc.auth.mfa.verify'> {
    const { mfaToken, ...factor } = request;
    return answer(() => this.login.verify(mfaToken, factor));
  }

  @RpcMethod('rpc.auth.mfa.disable')
  disable(request: In<'rpc.auth.mfa.disable'>): Out<'rpc.auth.mfa.disable'> {
    const { actor, ...proof } = request;
    return answer(async () => this.mfa.disable(actor.tenantId, await this.mfa.memberOf(actor), proof));
  }
}
