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
  createUserRoute,
  deleteUserRoute,
  getUserRoute,
  listUsersRoute,
  resetPasswordRoute,
  updateUserRoute,
} from './users.routes';

type ById = ParamsOf<typeof getUserRoute>;

@ApiTags('Users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly downstream: Downstream) {}

  @Route(listUsersRoute)
  list(
    @RouteQuery() query: QueryOf<typeof listUsersRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof listUsersRoute>> {
    return this.downstream.call('rpc.auth.users.list', { actor: downstreamActor(actor), ...query });
  }

  @Route(createUserRoute)
  create(
    @RouteBody() body: BodyOf<typeof createUserRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof createUserRoute>> {
    return this.downstream.call('rpc.auth.users.create', { actor: downstreamActor(actor), ...body });
  }

  @Route(getUserRoute)
  get(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof getUserRoute>> {
    return this.downstream.call('rpc.auth.users.get', { actor: downstreamActor(actor), userId: id });
  }

  @Route(updateUserRoute)
  update(
    @RouteParams() { id }: ById,
    @RouteBody() body: BodyOf<typeof updateUserRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof updateUserRoute>> {
    return this.downstream.call('rpc.auth.users.update', {
      actor: downstreamActor(actor),
      userId: id,
      ...body,
    });
  }

  @Route(deleteUserRoute)
  async delete(@RouteParams() { id }: ById, @CurrentActor() actor: GatewayActor): Promise<void> {
    await this.downstream.call('rpc.auth.users.delete', { actor: downstreamActor(actor), userId: id });
  }

  @Route(resetPasswordRoute)
  resetPassword(
    @RouteParams() { id }: ById,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof resetPasswordRoute>> {
    return this.downstream.call('rpc.auth.users.resetPassword', {
      actor: downstreamActor(actor),
      userId: id,
    });
  }
}
