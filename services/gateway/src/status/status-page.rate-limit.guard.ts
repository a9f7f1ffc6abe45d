import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { ProblemError } from '../http/problem';
import { TokenBuckets } from '../http/token-bucket';

/** Generous, since answers come from the cache: an office behind one address can still reload during an outage. */
const BURST = 60;
const PER_SECOND = 2;

/** Public status pages, per client IP, in buckets of their own (sign-in routes keep theirs). */
@Injectable()
export class StatusPageRateLimitGuard implements CanActivate {
  private readonly buckets = new TokenBuckets(BURST, PER_SECOND);

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const retryAfter = this.buckets.take(`ip:${request.ip}`);
    if (retryAfter > 0) throw ProblemError.tooManyRequests(retryAfter);
    return true;
  }
}
