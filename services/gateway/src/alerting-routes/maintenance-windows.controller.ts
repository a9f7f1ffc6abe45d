import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import {
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  Route,
} from '../openapi/route-definition';
import { RouteBody, RouteParams, RouteQuery } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import {
  createMaintenanceWindowRoute,
  deleteMaintenanceWindowRoute,
  getMaintenanceWindowRoute,
  listMaintenanceWindowsRoute,
  updateMaintenanceWindowRoute,
} from './maintenance-windows.routes';

type ById = ParamsOf<typeof getMaintenanceWindowRoute>;

@ApiTags('Alerting')
@Controller('api/v1/maintenance-windows')
export class MaintenanceWindowsController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listMaintenanceWindowsRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listMaintenanceWindowsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listMaintenanceWindowsRoute>> {
    return this.downstream.call('rpc.alerting.maintenanceWindows.list', {
      actor: downstreamActor(actor),
      ...query,
    });
  }

  @Route(createMaintenanceWindowRoute)
  create(
    @RouteBody() window: BodyOf<typeof createMaintenanceWindowRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createMaintenanceWindowRoute>> {
    return this.downstream.call('rpc.alerting.maintenanceWindows.create', {
      actor: downstreamActor(actor),
      window,
    });
  }

  @Route(getMaintenanceWindowRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getMaintenanceWindowRoute>> {
    return this.downstream.call('rpc.alerting.maintenanceWindows.get', { actor: downstreamActor(actor), id });
  }

  @Route(updateMaintenanceWindowRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() changes: BodyOf<typeof updateMaintenanceWindowRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateMaintenanceWindowRoute>> {
    return this.downstream.call('rpc.alerting.maintenanceWindows.update', {
      actor: downstreamActor(actor),
      id,
      changes,
    });
  }

  @Route(deleteMaintenanceWindowRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.alerting.maintenanceWindows.delete', {
      actor: downstreamActor(actor),
      id,
    });
  }
}
