import {
  type CanActivate,
  type CustomDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import type { GatewayActor } from '../security/actor';
import { ProblemError } from './problem';
import { TokenBuckets } from './token-bucket';

export const RATE_LIMIT_POLICY = 'optralis:rate-limit';
export type RateLimitPolicy = 'sign-in';

/** Sign-in routes (login, MFA, refresh, SSO, invitations): limited per client IP, before any credential. */
export function RateLimit(policy: RateLimitPolicy): CustomDecorator {
  return SetMetadata(RATE_LIMIT_POLICY, policy);
}

/**
 * Runs after the authentication guard: every verified credential has its own bucket (per API token, per
 * session), and sign-in routes one per client IP. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly signIn: TokenBuckets;
  private readonly credentials: TokenBuckets;

  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    const perMinute = config.GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE;
    this.signIn = new TokenBuckets(perMinute, perMinute / 60);
    const perSecond = config.GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND;
    this.credentials = new TokenBuckets(perSecond * 2, perSecond);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (policy === 'sign-in') this.take(this.signIn, `ip:${request.ip}`);
    if (request.actor) this.take(this.credentials, credentialKey(request.actor));
    return true;
  }

  private take(buckets: TokenBuckets, key: string): void {
    const retryAfter = buckets.take(key);
    if (retryAfter > 0) throw ProblemError.tooManyRequests(retryAfter);
  }
}

function credentialKey(actor: GatewayActor): string {
  return actor.credential === 'api_token'
    ? `token:${actor.userId}`
    : `session:${actor.sessionId ?? actor.userId}`;
}
