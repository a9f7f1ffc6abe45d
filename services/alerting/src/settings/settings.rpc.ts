import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { SettingsService } from './settings.service';

/** `rpc.alerting.settings.*`. */
@Controller()
export class SettingsRpc {
  constructor(private readonly settings: SettingsService) {}

  @RpcMethod('rpc.alerting.settings.get')
  get(
    @Payload() request: ParsedRequestOf<'rpc.alerting.settings.get'>,
  ): Promise<ReplyOf<'rpc.alerting.settings.get'>> {
    return answer(() => this.settings.get(request.actor));
  }

  @RpcMethod('rpc.alerting.settings.update')
  update(
    @Payload() request: ParsedRequestOf<'rpc.alerting.settings.update'>,
  ): Promise<ReplyOf<'rpc.alerting.settings.update'>> {
    const { actor, ...update } = request;
    return answer(() => this.settings.update(actor, update));
  }
}
