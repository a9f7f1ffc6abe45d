import { randomUUID } from 'node:crypto';

import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';

import { ProblemError } from '../http/problem';
import { type AnyRouteDefinition, ROUTE_DEFINITION } from './route-definition';

/**
 * Sends what the route definition documents: the handler's value parsed by the `response` schema, which
 * drops fields the document does not promise. A value outside the schema is a gateway bug: 500 + errorId.
 */
@Injectable()
export class RouteResponseInterceptor implements NestInterceptor {
  private readonly logger = new Logger(RouteResponseInterceptor.name);

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const definition = this.reflector.get<AnyRouteDefinition | undefined>(
      ROUTE_DEFINITION,
      context.getHandler(),
    );
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
