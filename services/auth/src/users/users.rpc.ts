import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { UsersService } from './users.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class UsersRpc {
  constructor(private readonly users: UsersService) {}

  @RpcMethod('rpc.auth.users.list')
  list(request: In<'rpc.auth.users.list'>): Out<'rpc.auth.users.list'> {
    return answer(() => this.users.list(request.actor, request));
  }

  @RpcMethod('rpc.auth.users.get')
  get(request: In<'rpc.auth.users.get'>): Out<'rpc.auth.users.get'> {
    return answer(() => this.users.get(request.actor, request.userId));
  }

  @RpcMethod('rpc.auth.users.create')
  create(request: In<'rpc.auth.users.create'>): Out<'rpc.auth.users.create'> {
    const { actor, ...input } = request;
    return answer(() => this.users.create(actor, input));
  }

  @RpcMethod('rpc.auth.users.update')
  update(request: In<'rpc.auth.users.update'>): Out<'rpc.auth.users.update'> {
    const { actor, userId, ...change } = request;
    return answer(() => this.users.update(actor, userId, change));
  }

  @RpcMethod('rpc.auth.users.delete')
  delete(request: In<'rpc.auth.users.delete'>): Out<'rpc.auth.users.delete'> {
    return answer(() => this.users.delete(request.actor, request.userId));
  }

  @RpcMethod('rpc.auth.users.resetPassword')
  resetPassword(request: In<'rpc.auth.users.resetPassword'>): Out<'rpc.auth.users.resetPassword'> {
    return answer(() => this.users.resetPassword(request.actor, request.userId));
  }

  @RpcMethod('rpc.auth.users.changePassword')
  changePassword(request: In<'rpc.auth.users.changePassword'>): Out<'rpc.auth.users.changePassword'> {
    return answer(() => this.users.changePassword(request));
  }

  @RpcMethod('rpc.auth.invitations.accept')
  acceptInvitation(request: In<'rpc.auth.invitations.accept'>): Out<'rpc.auth.invitations.accept'> {
    return answer(() => this.users.acceptInvitation(request));
  }
}
