import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsRegistry } from './metrics.registry';
import { traceOfRequest } from './request-trace';
import { REQUEST_ID_HEADER, runWithTrace } from './trace-context';

/** Route label of requests that matched no route (404s), so scanners cannot explode cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Fastify hooks rather than a Nest interceptor: hooks also see 404s and errors thrown by guards,
 * middleware or the body parser, and they know the route pattern.
 */
export function instrumentFastify(fastify: FastifyInstance, metrics: MetricsRegistry): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const trace = traceOfRequest(request.raw);
    reply.header(REQUEST_ID_HEADER, trace.requestId);
    // Fastify 5 carries this context through body parsing (its content-type parser is an AsyncResource).
    runWithTrace(trace, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp({
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      statusCode: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
    done();
  });
}

@Injectable()
export class HttpInstrumentation implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    // Standalone contexts (workers without HTTP) have no adapter; only Fastify is supported.
    if (adapter?.getType() !== 'fastify') return;
    instrumentFastify(adapter.getInstance<FastifyInstance>(), this.metrics);
  }
}
