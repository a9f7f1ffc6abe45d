import type { FastifyReply } from 'fastify';

import { IntakeError } from './intake.errors';

/** RFC 9457 problem details, as CONTRACT.md promises for every intake refusal. */
export function sendProblem(reply: FastifyReply, error: IntakeError, instance: string): FastifyReply {
  if (error.extra.retryAfterSeconds !== undefined)
    reply.header('Retry-After', String(error.extra.retryAfterSeconds));
  if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="optralis-ingest"');
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({
      type: `https://optralis.dev/problems/${slug(error.title)}`,
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance,
      ...(error.extra.field !== undefined ? { field: error.extra.field } : {}),
      ...(error.extra.line !== undefined ? { line: error.extra.line } : {}),
    });
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
