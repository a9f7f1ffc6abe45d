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
  channelDeliveriesRoute,
  createChannelRoute,
  deleteChannelRoute,
  getChannelRoute,
  listChannelsRoute,
  listDeliveriesRoute,
  testChannelRoute,
  updateChannelRoute,
} from './channels.routes';

type ById = ParamsOf<typeof getChannelRoute>;

@ApiTags('Alerting')
@Controller('api/v1/channels')
export class ChannelsController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listChannelsRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listChannelsRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listChannelsRoute>> {
    return this.downstream.call('rpc.alerting.channels.list', { actor: downstreamActor(actor), ...query });
  }

  @Route(createChannelRoute)
  create(
    @RouteBody() channel: BodyOf<typeof createChannelRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createChannelRoute>> {
    return this.downstream.call('rpc.alerting.channels.create', { actor: downstreamActor(actor), channel });
  }

  @Route(getChannelRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getChannelRoute>> {
    return this.downstream.call('rpc.alerting.channels.get', { actor: downstreamActor(actor), id });
  }

  @Route(updateChannelRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() changes: BodyOf<typeof updateChannelRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateChannelRoute>> {
    return this.downstream.call('rpc.alerting.channels.update', {
      actor: downstreamActor(actor),
      id,
      changes,
    });
  }

  @Route(deleteChannelRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.alerting.channels.delete', { actor: downstreamActor(actor), id });
  }

  @Route(testChannelRoute)
  test(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof testChannelRoute>> {
    return this.downstream.call('rpc.alerting.channels.test', { actor: downstreamActor(actor), id });
  }

  @Route(channelDeliveriesRoute)
  async deliveries(
    @RouteParams() { id }: ById,
    @RouteQuery() query: QueryOf<typeof channelDeliveriesRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof channelDeliveriesRoute>> {
    const caller = downstreamActor(actor);
    // A missing or foreign channel answers 404 rather than an empty page.
    await this.downstream.call('rpc.alerting.channels.get', { actor: caller, id });
    return this.downstream.call('rpc.alerting.deliveries.list', { actor: caller, channelId: id, ...query });
  }
}

@ApiTags('Alerting')
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listDeliveriesRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listDeliveriesRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listDeliveriesRoute>> {
    return this.downstream.call('rpc.alerting.deliveries.list', { actor: downstreamActor(actor), ...query });
  }
}
