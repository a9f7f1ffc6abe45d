import { STATUS_CODES } from 'node:http';

import type { z } from 'zod';

import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { ProblemSchema } from './common.schemas';
import type { AnyRouteDefinition } from './route-definition';
import { inlineJsonSchema, type JsonSchema, SchemaComponents } from './schema-components';

export const REFRESH_COOKIE_SCHEME = 'refreshCookie';

export const SECURITY_SCHEMES = {
  accessToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /api/v1/auth/login, /mfa or /refresh (ES256, 15 minutes).',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'opt_api_<8>_<48 hex>',
    description: 'API token from POST /api/v1/api-tokens; it acts in its tenant with its role.',
  },
  [REFRESH_COOKIE_SCHEME]: {
    type: 'apiKey',
    in: 'cookie',
    name: 'optralis_refresh',
    description: 'httpOnly refresh cookie set by sign-in routes and SSO callbacks.',
  },
} as const;

const RETRY_AFTER = {
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } },
};

function pascal(operationId: string): string {
  return operationId.charAt(0).toUpperCase() + operationId.slice(1);
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = inlineJsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function errorStatuses(definition: AnyRouteDefinition): number[] {
  const hasInput = !!(definition.body || definition.query || definition.params);
  const guarded = definition.access !== 'public';
  const statuses = [
    ...(hasInput ? [400] : []),
    ...(guarded ? [401, 403] : []),
    ...(definition.body ? [413] : []),
    ...(guarded || definition.rateLimit ? [429] : []),
    500,
    504,
    ...(definition.errors ?? []),
  ];
  return [...new Set(statuses)].sort((a, b) => a - b);
}

function successResponse(definition: AnyRouteDefinition, components: SchemaComponents): JsonSchema {
  const { response, produces } = definition;
  const status = definition.status ?? 200;
  const described = {
    description: definition.responseDescription ?? STATUS_CODES[status] ?? 'Success',
    ...(definition.responseHeaders ? { headers: definition.responseHeaders } : {}),
  };
  if (!response) return described;
  const schema = produces
    ? inlineJsonSchema(response, 'output')
    : components.output(response, `${pascal(definition.operationId)}Response`);
  const example = definition.examples?.response;
  return {
    ...described,
    content: { [produces ?? 'application/json']: { schema, ...(example !== undefined ? { example } : {}) } },
  };
}

function security(definition: AnyRouteDefinition): Record<string, string[]>[] | undefined {
  if (definition.access === 'public') return undefined;
  return definition.credential === 'session'
    ? [{ accessToken: [] }]
    : [{ accessToken: [] }, { apiToken: [] }];
}

/** The OpenAPI operation of one route definition; Nest's scan supplies the path, tags and method. */
export function describeOperation(
  definition: AnyRouteDefinition,
  scanned: { tags?: string[]; security?: unknown },
  components: SchemaComponents,
): JsonSchema {
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: components.output(ProblemSchema, 'Problem') } };
  const errors = Object.fromEntries(
    errorStatuses(definition).map((status) => [
      String(status),
      {
        description: STATUS_CODES[status] ?? 'Error',
        ...(status === 429 || status === 504 ? { headers: RETRY_AFTER } : {}),
        content: problem,
      },
    ]),
  );
  const body = definition.body;
  const example = definition.examples?.body;
  return {
    operationId: definition.operationId,
    summary: definition.summary,
    ...(definition.description ? { description: definition.description } : {}),
    ...(scanned.tags?.length ? { tags: scanned.tags } : {}),
    parameters: [...parameters(definition.params, 'path'), ...parameters(definition.query, 'query')],
    ...(body
      ? {
          requestBody: {
            required: !body.safeParse(undefined).success,
            content: Object.fromEntries(
              (definition.consumes ?? ['application/json']).map((type) => [
                type,
                {
                  schema: components.input(body, `${pascal(definition.operationId)}Body`),
                  ...(example !== undefined ? { example } : {}),
                },
              ]),
            ),
          },
        }
      : {}),
    responses: { [String(definition.status ?? 200)]: successResponse(definition, components), ...errors },
    ...(security(definition)
      ? { security: security(definition) }
      : scanned.security
        ? { security: scanned.security }
        : {}),
  };
}
