import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/** `rpc.alerting.maintenanceWindows.*`. */
@Controller()
export class MaintenanceWindowsRpc {
  constructor(private readonly windows: MaintenanceWindowsService) {}

  @RpcMethod('rpc.alerting.maintenanceWindows.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.maintenanceWindows.list'>,
  ): Promise<ReplyOf<'rpc.alerting.maintenanceWindows.list'>> {
    return answer(() => this.windows.list(request.actor, request));
  }

  @RpcMethod('rpc.alerting.maintenanceWindows.get')
  get(
    @Payload() request: ParsedRequestOf<'rpc.alerting.maintenanceWindows.get'>,
  ): Promise<ReplyOf<'rpc.alerting.maintenanceWindows.get'>> {
    return answer(() => this.windows.get(request.actor, request.id));
  }

  @RpcMethod('rpc.alerting.maintenanceWindows.create')
  create(
    @Payload() request: ParsedRequestOf<'rpc.alerting.maintenanceWindows.create'>,
  ): Promise<ReplyOf<'rpc.alerting.maintenanceWindows.create'>> {
    return answer(() => this.windows.create(request.actor, request.window));
  }

  @RpcMethod('rpc.alerting.maintenanceWindows.update')
  update(
    @Payload() request: ParsedRequestOf<'rpc.alerting.maintenanceWindows.update'>,
  ): Promise<ReplyOf<'rpc.alerting.maintenanceWindows.update'>> {
    return answer(() => this.windows.update(request.actor, request.id, request.changes));
  }

  @RpcMethod('rpc.alerting.maintenanceWindows.delete')
  delete(
    @Payload() request: ParsedRequestOf<'rpc.alerting.maintenanceWindows.delete'>,
  ): Promise<ReplyOf<'rpc.alerting.maintenanceWindows.delete'>> {
    return answer(async () => {
      await this.windows.remove(request.actor, request.id);
      return { id: request.id, deleted: true as const };
    });
  }
}
