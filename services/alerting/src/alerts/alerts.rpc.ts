import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { AlertsService } from './alerts.service';

/** `rpc.alerting.alerts.*`: alert history and acknowledgement. */
@Controller()
export class AlertsRpc {
  constructor(private readonly alerts: AlertsService) {}

  @RpcMethod('rpc.alerting.alerts.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.alerts.list'>,
  ): Promise<ReplyOf<'rpc.alerting.alerts.list'>> {
    return answer(() => this.alerts.list(request));
  }

  @RpcMethod('rpc.alerting.alerts.get')
  get(
    @Payload() request: ParsedRequestOf<'rpc.alerting.alerts.get'>,
  ): Promise<ReplyOf<'rpc.alerting.alerts.get'>> {
    return answer(() => this.alerts.get(request.actor, request.id));
  }

  @RpcMethod('rpc.alerting.alerts.ack')
  ack(
    @Payload() request: ParsedRequestOf<'rpc.alerting.alerts.ack'>,
  ): Promise<ReplyOf<'rpc.alerting.alerts.ack'>> {
    return answer(() => this.alerts.acknowledge(request.actor, request.id, request.note));
  }
}
