import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { STATUS_PAGE_POLICY } from './status-page.styles';

export const STATUS_PAGE_HTML_PATH = '/status/:tenantSlug';

/**
 * The HTML page needs its inline style sheet, which the gateway-wide policy (no styles at all) forbids.
 * http/security-headers.ts sets that policy on every answer in an onSend hook registered before the
 * modules start; this hook, registered at module start, runs after it and swaps the policy of this one
 * route for the page's own, equally strict one. Should the order ever change, the page stays safe, unstyled.
 */
@Injectable()
export class StatusPageHeaders implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onSend', (request, reply, payload, done) => {
      const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      if (html && request.routeOptions?.url === STATUS_PAGE_HTML_PATH) {
        reply.header('Content-Security-Policy', STATUS_PAGE_POLICY);
      }
      done(null, payload);
    });
  }
}
