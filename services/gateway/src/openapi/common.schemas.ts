import { z } from 'zod';

import { component } from './schema-components';

/** RFC 9457 problem details, the body of every error. */
export const ProblemSchema = component(
  'Problem',
  z
    .looseObject({
      type: z.string().describe('URI of the problem type'),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      instance: z.string().describe('the request path'),
      code: z.string().describe('stable machine-readable code, e.g. host.not_found or rate_limited'),
      requestId: z.string().optional(),
      errorId: z.string().optional().describe('present on unexpected errors; it is in the logs too'),
      errors: z
        .array(
          z.object({
            in: z.enum(['body', 'query', 'params']),
            path: z.string(),
            message: z.string(),
          }),
        )
        .optional()
        .describe('every field that failed validation'),
    })
    .meta({
      examples: [
        {
          type: 'https://optralis.dev/problems/invalid-request',
          title: 'Bad request',
          status: 400,
          detail: 'the request body is invalid (email: Invalid email address)',
          instance: '/api/v1/auth/login',
          code: 'invalid_request',
          requestId: '5f0c6c1e-4a5b-4a43-9a55-0f6f1c1e0a11',
          errors: [{ in: 'body', path: 'email', message: 'Invalid email address' }],
        },
      ],
    }),
);

export const Uuid = z.uuid();

/** `{ id }` path parameters of resources named by a UUID. */
export const IdParams = z.strictObject({ id: Uuid.describe('resource id') });

/** `?limit=` of list routes (query strings are text, hence the coercion). */
export function limitQuery(max: number, fallback: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe(`page size, 1-${max} (default ${fallback})`);
}

export const CursorQuery = z.string().min(1).max(2048).optional().describe('nextCursor of the previous page');

/** `true` or `false` in a query string. */
export const QueryBoolean = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

/** `{ items, nextCursor }`, named as a component. */
export function pageOf<Item extends z.ZodType>(id: string, item: Item) {
  return component(
    id,
    z.object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last'),
    }),
  );
}

export const Done = component('Done', z.object({ done: z.literal(true) }));
