import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { GatewayConfig } from '../config';
import { servedOverHttps } from '../gateway.config.provider';
import { DOCS_PATH } from '../openapi/openapi.setup';

/** JSON answers need nothing from the browser: no scripts, no frames, no forms. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI loads its own scripts and styles (plus one inline <style>) and data: icons. */
const DOCS_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function isDocs(request: FastifyRequest): boolean {
  const path = (request.url ?? '').split('?', 1)[0];
  return path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);
}

/** Set on every answer, errors and 404s included (a Fastify hook, not a Nest interceptor). */
export function registerSecurityHeaders(fastify: FastifyInstance, config: GatewayConfig): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('X-Permitted-Cross-Domain-Policies', 'none');
    reply.header('Content-Security-Policy', isDocs(request) ? DOCS_POLICY : API_POLICY);
    if (servedOverHttps(config, request.protocol)) {
      reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}
