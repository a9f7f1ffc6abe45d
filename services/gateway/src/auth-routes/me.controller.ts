import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Downstream } from '../downstream/downstream.service';
import { type BodyOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody } from '../openapi/route-input.decorators';
import { downstreamActor, type GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import {
  changeMyPasswordRoute,
  confirmMfaRoute,
  disableMfaRoute,
  enrollMfaRoute,
  meRoute,
} from './me.routes';

@ApiTags('Me')
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly downstream: Downstream) {}

  @Route(meRoute)
  async me(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof meRoute>> {
    const { tenantId, role } = actor;
    if (actor.credential === 'api_token') {
      return {
        credential: 'api_token',
        tenantId,
        role,
        token: { id: actor.userId, name: actor.tokenName ?? '' },
      };
    }
    const user = await this.downstream.call('rpc.auth.users.get', {
      actor: downstreamActor(actor),
      userId: actor.userId,
    });
    return { credential: 'session', tenantId, role, sessionId: actor.sessionId ?? '', user };
  }

  @Route(enrollMfaRoute)
  enrollMfa(@CurrentActor() actor: GatewayActor): Promise<ResponseOf<typeof enrollMfaRoute>> {
    return this.downstream.call('rpc.auth.mfa.enroll', { actor: downstreamActor(actor) });
  }

  @Route(confirmMfaRoute)
  confirmMfa(
    @RouteBody() body: BodyOf<typeof confirmMfaRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof confirmMfaRoute>> {
    return this.downstream.call('rpc.auth.mfa.confirm', { actor: downstreamActor(actor), code: body.code });
  }

  @Route(disableMfaRoute)
  disableMfa(
    @RouteBody() body: BodyOf<typeof disableMfaRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof disableMfaRoute>> {
    return this.downstream.call('rpc.auth.mfa.disable', { actor: downstreamActor(actor), ...body });
  }

  @Route(changeMyPasswordRoute)
  async changePassword(
    @RouteBody() body: BodyOf<typeof changeMyPasswordRoute>,
    @CurrentActor() actor: GatewayActor,
  ): Promise<ResponseOf<typeof changeMyPasswordRoute>> {
    const user = await this.downstream.call('rpc.auth.users.get', {
      actor: downstreamActor(actor),
      userId: actor.userId,
    });
    return this.downstream.call('rpc.auth.users.changePassword', { email: user.email, ...body });
  }
}
