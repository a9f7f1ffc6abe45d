import { randomUUID } from 'node:crypto';

import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@optralis/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { bindAccessLog } from '../http/access-log';
import { ProblemError } from '../http/problem';
import { hasRole } from './actor';
import { Authenticator } from './authenticator.service';
import { PUBLIC_ROUTE, REQUIRED_ACCESS, type RequiredAccess } from './security.decorators';

/** Probes and scrapes of libs/observability: public by nature, and they carry no metadata of ours. */
const INFRASTRUCTURE_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController]);

/**
 * Every HTTP route is closed unless it says otherwise: `@Public()` opens it, `@RequireRole(role)` asks
 * for a verified credential of at least that role; a route with neither is a mistake and answers 500.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly logger = new Logger(AuthenticationGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || INFRASTRUCTURE_CONTROLLERS.has(context.getClass())) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const targets = [context.getHandler(), context.getClass()];
    try {
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
        request.actor = await this.optionalActor(request);
        return true;
      }
      const access = this.reflector.getAllAndOverride<RequiredAccess | undefined>(REQUIRED_ACCESS, targets);
      if (!access) {
        const errorId = randomUUID();
        this.logger.error(
          { errorId, route: request.routeOptions?.url },
          'route declares neither @Public nor @RequireRole',
        );
        throw ProblemError.internal(errorId, 'this route has no access rule');
      }
      const actor = await this.authenticator.authenticate(request.headers.authorization);
      request.actor = actor;
      if (access.credential === 'session' && actor.credential !== 'session') {
        throw ProblemError.forbidden('this route needs a signed-in user; API tokens cannot use it');
      }
      if (!hasRole(actor.role, access.role)) {
        throw ProblemError.forbidden(
          `this action needs the ${access.role} role; the caller is ${actor.role}`,
        );
      }
      return true;
    } finally {
      bindAccessLog(request, reply, request.actor);
    }
  }

  private async optionalActor(request: FastifyRequest) {
    if (!request.headers.authorization) return undefined;
    return this.authenticator.authenticate(request.headers.authorization).catch(() => undefined);
  }
}
