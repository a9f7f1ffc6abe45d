import {
  createParamDecorator,
  type CustomDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { Role } from '@optralis/contracts';
import type { FastifyRequest } from 'fastify';

import { ProblemError } from '../http/problem';
import type { GatewayActor } from './actor';

export const PUBLIC_ROUTE = 'optralis:public-route';
export const REQUIRED_ACCESS = 'optralis:required-access';

export interface RequiredAccess {
  role: Role;
  /** `session`: a signed-in user only, never an API token (MFA, password, logout, switching tenant). */
  credential?: 'session';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication guard once the bearer token is verified. */
    actor?: GatewayActor;
  }
}

/** No credential needed. A valid bearer token is still read, so `@CurrentActor({ optional: true })` sees it. */
export function Public(): CustomDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}

/** A verified credential whose role is at least `role` (observer < editor < admin < owner). */
export function RequireRole(role: Role, options: { credential?: 'session' } = {}): CustomDecorator {
  const access: RequiredAccess = { role, ...options };
  return SetMetadata(REQUIRED_ACCESS, access);
}

/** The verified caller; with `{ optional: true }` undefined on public routes called without a token. */
export const CurrentActor = createParamDecorator(
  (options: { optional?: boolean } | undefined, context: ExecutionContext): GatewayActor | undefined => {
    const actor = context.switchToHttp().getRequest<FastifyRequest>().actor;
    if (!actor && !options?.optional) throw ProblemError.unauthorized('this route needs a bearer token');
    return actor;
  },
);
