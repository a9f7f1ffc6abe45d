import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { Role } from '@optralis/contracts';
import { ApiOperation } from '@nestjs/swagger';
import type { z } from 'zod';

import { RateLimit, type RateLimitPolicy } from '../http/rate-limit.guard';
import { Public, RequireRole } from '../security/security.decorators';

export const ROUTE_DEFINITION = 'optralis:route-definition';

type Schema = z.ZodType | undefined;
type InputOf<S extends Schema> = S extends z.ZodType ? z.input<S> : never;
type OutputOf<S extends Schema> = S extends z.ZodType ? z.output<S> : never;

export interface ResponseHeader {
  description: string;
  schema?: Record<string, unknown>;
}

/**
 * Everything one HTTP route is: path, access, input and output schemas. `@Route(definition)` turns it into
 * the Nest route, the access rule, the validation of `@RouteBody()`/`@RouteQuery()`/`@RouteParams()`, the
 * check of the answer, and the operation in /api/openapi.json.
 */
export interface RouteDefinition<
  Body extends Schema = Schema,
  Query extends Schema = Schema,
  Params extends Schema = Schema,
  Response extends Schema = Schema,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the controller's path; `:name` segments must appear in `params`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** `public`, or the lowest role that may call it (observer < editor < admin < owner). */
  access: 'public' | Role;
  /** `session`: signed-in users only, not API tokens. */
  credential?: 'session';
  rateLimit?: RateLimitPolicy;
  /**
   * GET only: answers may be shared for GATEWAY_READ_CACHE_MS between callers of one tenant and role
   * (openapi/read-cache.ts). Only for reads whose answer depends on nothing but the tenant, role and URL.
   */
  cacheable?: boolean;
  body?: Body;
  /** Media types of the body; `application/json` when absent. */
  consumes?: string[];
  query?: Query;
  params?: Params;
  /** Absent for 204 and redirects. */
  response?: Response;
  /** Media type of the answer when it is not JSON (the schema is then a string). */
  produces?: string;
  /** Success status; 200 when absent. */
  status?: number;
  responseDescription?: string;
  responseHeaders?: Record<string, ResponseHeader>;
  /** Statuses beyond the ones every route documents (400, 401, 403, 429, 500, 504 as they apply). */
  errors?: number[];
  examples?: { body?: InputOf<Body>; response?: OutputOf<Response> };
}

export type AnyRouteDefinition = RouteDefinition<Schema, Schema, Schema, Schema>;
export type BodyOf<D> = D extends RouteDefinition<infer Body> ? OutputOf<Body> : never;
export type QueryOf<D> = D extends RouteDefinition<Schema, infer Query> ? OutputOf<Query> : never;
export type ParamsOf<D> = D extends RouteDefinition<Schema, Schema, infer Params> ? OutputOf<Params> : never;
/** What the handler returns: the response schema's input, which the route parses into the answer. */
export type ResponseOf<D> =
  D extends RouteDefinition<Schema, Schema, Schema, infer Response> ? InputOf<Response> : never;

/** Keeps the schemas' types, so examples are checked and handlers can name their input and output. */
export function defineRoute<
  Body extends Schema = undefined,
  Query extends Schema = undefined,
  Params extends Schema = undefined,
  Response extends Schema = undefined,
>(
  definition: RouteDefinition<Body, Query, Params, Response>,
): RouteDefinition<Body, Query, Params, Response> {
  return definition;
}

export function Route(definition: AnyRouteDefinition): MethodDecorator {
  if (definition.cacheable && definition.method !== 'GET') {
    throw new Error(`${definition.operationId}: only GET routes may be cacheable`);
  }
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    RequestMapping({ path: definition.path, method: RequestMethod[definition.method] }),
    HttpCode(definition.status ?? 200),
    SetMetadata(ROUTE_DEFINITION, definition),
    ApiOperation({
      operationId: definition.operationId,
      summary: definition.summary,
      description: definition.description,
    }),
    definition.access === 'public'
      ? Public()
      : RequireRole(definition.access, definition.credential ? { credential: definition.credential } : {}),
  ];
  if (definition.rateLimit) decorators.push(RateLimit(definition.rateLimit));
  return applyDecorators(...decorators);
}
