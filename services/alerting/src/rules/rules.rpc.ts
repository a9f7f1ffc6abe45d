import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { RulesService } from './rules.service';

/** `rpc.alerting.rules.*`: alert rules as the gateway lists and edits them. */
@Controller()
export class RulesRpc {
  constructor(private readonly rules: RulesService) {}

  @RpcMethod('rpc.alerting.rules.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.rules.list'>,
  ): Promise<ReplyOf<'rpc.alerting.rules.list'>> {
    return answer(() => this.rules.list(request.actor, request));
  }

  @RpcMethod('rpc.alerting.rules.get')
  get(
    @Payload() request: ParsedRequestOf<'rpc.alerting.rules.get'>,
  ): Promise<ReplyOf<'rpc.alerting.rules.get'>> {
    return answer(() => this.rules.get(request.actor, request.id));
  }

  @RpcMethod('rpc.alerting.rules.create')
  create(
    @Payload() request: ParsedRequestOf<'rpc.alerting.rules.create'>,
  ): Promise<ReplyOf<'rpc.alerting.rules.create'>> {
    return answer(() => this.rules.create(request.actor, request.rule));
  }

  @RpcMethod('rpc.alerting.rules.update')
  update(
    @Payload() request: ParsedRequestOf<'rpc.alerting.rules.update'>,
  ): Promise<ReplyOf<'rpc.alerting.rules.update'>> {
    return answer(() => this.rules.update(request.actor, request.id, request.changes));
  }

  @RpcMethod('rpc.alerting.rules.delete')
  delete(
    @Payload() request: ParsedRequestOf<'rpc.alerting.rules.delete'>,
  ): Promise<ReplyOf<'rpc.alerting.rules.delete'>> {
    return answer(async () => {
      await this.rules.remove(request.actor, request.id);
      return { id: request.id, deleted: true as const };
    });
  }
}
