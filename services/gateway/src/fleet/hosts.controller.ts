import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  Route,
} from '../openapi/route-definition';
import { RouteBody, RouteParams, RouteQuery } from '../openapi/route-input.decorators';
import type { GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { getHostRoute, hostMetricsRoute, listHostsRoute, updateHostRoute } from './hosts.routes';
import { HostsService } from './hosts.service';

type ByHost = ParamsOf<typeof getHostRoute>;

@ApiTags('Fleet')
@Controller('api/v1/hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Route(listHostsRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listHostsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listHostsRoute>> {
    return this.hosts.list(actor, query);
  }

  @Route(getHostRoute)
  get(
    @RouteParams() { id }: ByHost,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getHostRoute>> {
    return this.hosts.get(actor, id);
  }

  @Route(updateHostRoute)
  update(
    @RouteParams() { id }: ByHost,
    @RouteBody() body: BodyOf<typeof updateHostRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateHostRoute>> {
    return this.hosts.update(actor, id, body);
  }

  @Route(hostMetricsRoute)
  metrics(
    @RouteParams() { id }: ByHost,
    @RouteQuery() query: QueryOf<typeof hostMetricsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof hostMetricsRoute>> {
    return this.hosts.metrics(actor, id, query);
  }
}
