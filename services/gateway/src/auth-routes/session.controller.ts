import { Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Downstream } from '../downstream/downstream.service';
import { ProblemError } from '../http/problem';
import { type BodyOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteBody } from '../openapi/route-input.decorators';
import { type GatewayActor, sessionActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { RefreshCookie } from './refresh-cookie';
import {
  acceptInvitationRoute,
  changePasswordRoute,
  loginRoute,
  logoutRoute,
  mfaConfirmRoute,
  mfaEnrollRoute,
  mfaRoute,
  refreshRoute,
  switchTenantRoute,
} from './session.routes';

@ApiTags('Authentication')
@Controller('api/v1/auth')
export class SessionController {
  constructor(
    private readonly downstream: Downstream,
    private readonly cookie: RefreshCookie,
  ) {}

  @Route(loginRoute)
  async login(
    @RouteBody() body: BodyOf<typeof loginRoute>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof loginRoute>> {
    const answer = await this.downstream.call('rpc.auth.login', body);
    if ('refreshToken' in answer) this.cookie.set(request, reply, answer.refreshToken);
    return answer;
  }

  @Route(mfaRoute)
  async verifyMfa(
    @RouteBody() body: BodyOf<typeof mfaRoute>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof mfaRoute>> {
    const pair = await this.downstream.call('rpc.auth.mfa.verify', body);
    this.cookie.set(request, reply, pair.refreshToken);
    return pair;
  }

  @Route(mfaEnrollRoute)
  enrollMfa(@RouteBody() body: BodyOf<typeof mfaEnrollRoute>): Promise<ResponseOf<typeof mfaEnrollRoute>> {
    return this.downstream.call('rpc.auth.mfa.enroll', body);
  }

  @Route(mfaConfirmRoute)
  async confirmMfa(
    @RouteBody() body: BodyOf<typeof mfaConfirmRoute>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof mfaConfirmRoute>> {
    const answer = await this.downstream.call('rpc.auth.mfa.confirm', body);
    if (answer.session) this.cookie.set(request, reply, answer.session.refreshToken);
    return answer;
  }

  @Route(refreshRoute)
  async refresh(
    @RouteBody() body: BodyOf<typeof refreshRoute>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof refreshRoute>> {
    const refreshToken = body?.refreshToken ?? this.cookie.read(request);
    if (!refreshToken) {
      throw ProblemError.unauthorized(`send { "refreshToken" } or the refresh cookie`, 'token_invalid');
    }
    const pair = await this.downstream.call('rpc.auth.refresh', { refreshToken });
    this.cookie.set(request, reply, pair.refreshToken);
    return pair;
  }

  @Route(logoutRoute)
  async logout(
    @RouteBody() body: BodyOf<typeof logoutRoute>,
    @CurrentActor({ optional: true }) actor: GatewayActor | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof logoutRoute>> {
    const refreshToken = body?.refreshToken ?? this.cookie.read(request);
    let answer: ResponseOf<typeof logoutRoute>;
    if (refreshToken) answer = await this.downstream.call('rpc.auth.logout', { refreshToken });
    else if (actor?.credential === 'session') {
      answer = await this.downstream.call('rpc.auth.logout', { actor: sessionActor(actor) });
    } else
      throw ProblemError.unauthorized('send the refresh token, the refresh cookie or a bearer access token');
    this.cookie.clear(request, reply);
    return answer;
  }

  @Route(switchTenantRoute)
  async switchTenant(
    @RouteBody() body: BodyOf<typeof switchTenantRoute>,
    @CurrentActor() actor: GatewayActor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof switchTenantRoute>> {
    const pair = await this.downstream.call('rpc.auth.switchTenant', {
      actor: sessionActor(actor),
      tenantId: body.tenantId,
    });
    this.cookie.set(request, reply, pair.refreshToken);
    return pair;
  }

  @Route(changePasswordRoute)
  changePassword(
    @RouteBody() body: BodyOf<typeof changePasswordRoute>,
  ): Promise<ResponseOf<typeof changePasswordRoute>> {
    return this.downstream.call('rpc.auth.users.changePassword', body);
  }

  @Route(acceptInvitationRoute)
  acceptInvitation(
    @RouteBody() body: BodyOf<typeof acceptInvitationRoute>,
  ): Promise<ResponseOf<typeof acceptInvitationRoute>> {
    return this.downstream.call('rpc.auth.invitations.accept', body);
  }
}
