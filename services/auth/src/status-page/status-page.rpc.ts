import { Controller } from '@nestjs/common';
import type { ParsedRequestOf, ReplyOf, RpcSubject } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/rpc-edge';
import { StatusPageService } from './status-page.service';

type In<S extends RpcSubject> = ParsedRequestOf<S>;
type Out<S extends RpcSubject> = Promise<ReplyOf<S>>;

@Controller()
export class StatusPageRpc {
  constructor(private readonly pages: StatusPageService) {}

  @RpcMethod('rpc.auth.statusPage.get')
  get(request: In<'rpc.auth.statusPage.get'>): Out<'rpc.auth.statusPage.get'> {
    return answer(() => this.pages.get(request.actor));
  }

  @RpcMethod('rpc.auth.statusPage.update')
  update(request: In<'rpc.auth.statusPage.update'>): Out<'rpc.auth.statusPage.update'> {
    const { actor, ...settings } = request;
    return answer(() => this.pages.update(actor, settings));
  }

  @RpcMethod('rpc.auth.statusPage.resolve')
  resolve(request: In<'rpc.auth.statusPage.resolve'>): Out<'rpc.auth.statusPage.resolve'> {
    return answer(() => this.pages.resolve(request.slug));
  }
}
