import { randomUUID } from 'node:crypto';

import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, type Observable, tap } from 'rxjs';

import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import { ReadCache } from './read-cache';
import { type AnyRouteDefinition, ROUTE_DEFINITION } from './route-definition';

const MAX_CACHED_ANSWERS = 10_000;

/**
 * Sends what the route definition documents: the handler's value parsed by the `response` schema, which
 * drops fields the document does not promise. A value outside the schema is a gateway bug: 500 + errorId.
 * Reads marked `cacheable` go through the ReadCache; any other successful call forgets its tenant's reads.
 */
@Injectable()
export class RouteResponseInterceptor implements NestInterceptor {
  private readonly logger = new Logger(RouteResponseInterceptor.name);
  readonly cache: ReadCache;

  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.cache = new ReadCache(config.GATEWAY_READ_CACHE_MS, MAX_CACHED_ANSWERS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const definition = this.reflector.get<AnyRouteDefinition | undefined>(
      ROUTE_DEFINITION,
      context.getHandler(),
    );
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const tenantId = request.actor?.tenantId;
    if (definition && definition.method !== 'GET' && tenantId) {
      return this.checked(definition, next).pipe(tap(() => this.cache.forgetTenant(tenantId)));
    }
    if (!definition?.cacheable || !this.cache.enabled || !tenantId || !request.actor) {
      return this.checked(definition, next);
    }
    const key = `${request.actor.role} ${request.url}`;
    const answer = this.cache.answer(tenantId, key, async () => ({
      json: JSON.stringify(await lastValueFrom(this.checked(definition, next))),
    }));
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(answer).pipe(
      map(({ json }) => {
        reply.type('application/json; charset=utf-8');
        return json;
      }),
    );
  }

  private checked(definition: AnyRouteDefinition | undefined, next: CallHandler): Observable<unknown> {
    const schema = definition?.response;
    // Streamed answers (SSE, CSV, Prometheus text) are written to the reply by the handler itself.
    if (!schema || definition.produces) return next.handle();
    return next.handle().pipe(
      map((value: unknown) => {
        const parsed = schema.safeParse(value);
        if (parsed.success) return parsed.data;
        const errorId = randomUUID();
        this.logger.error(
          { errorId, operationId: definition.operationId, issues: parsed.error.issues.slice(0, 5) },
          'answer outside its documented response',
        );
        throw ProblemError.internal(errorId);
      }),
    );
  }
}
