import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { ProblemError, type ValidationIssue } from '../http/problem';
import { type AnyRouteDefinition, ROUTE_DEFINITION } from './route-definition';

type Location = ValidationIssue['in'];

function parseInput(location: Location, context: ExecutionContext): unknown {
  const definition = Reflect.getMetadata(ROUTE_DEFINITION, context.getHandler()) as
    | AnyRouteDefinition
    | undefined;
  const schema = definition?.[location];
  if (!schema) throw new Error(`@Route${location} needs a ${location} schema in the route definition`);
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const raw = location === 'body' ? request.body : location === 'query' ? request.query : request.params;
  const parsed = schema.safeParse(raw ?? (location === 'body' ? undefined : {}));
  if (parsed.success) return parsed.data;
  throw invalidInput(location, parsed.error);
}

export function invalidInput(location: Location, error: z.ZodError): ProblemError {
  const errors = error.issues.map((issue) => ({
    in: location,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  const where = first?.path ? `${first.path}: ` : '';
  return ProblemError.badRequest(`the request ${location} is invalid (${where}${first?.message})`, errors);
}

/** The body, parsed by the route definition's `body` schema; 400 with every issue otherwise. */
export const RouteBody = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseInput('body', context),
);

/** The query string, parsed by the route definition's `query` schema. */
export const RouteQuery = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseInput('query', context),
);

/** The path parameters, parsed by the route definition's `params` schema. */
export const RouteParams = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseInput('params', context),
);
