import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { type LevelWithSilent, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { ObservabilityOptions } from './observability.options';
import { traceFields, traceOfRequest } from './request-trace';
import { currentTrace } from './trace-context';

/** What pino-std-serializers hands a custom `req` serializer: plain fields plus the hidden raw request. */
interface RequestLog extends Record<string, unknown> {
  raw: IncomingMessage;
}

/** Probes and scrapes arrive every few seconds; logging them would drown the real traffic. */
export const UNLOGGED_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

/** middie rewrites `url` to the part after the middleware's mount point; `originalUrl` is the real one. */
export function pathOf(request: IncomingMessage & { originalUrl?: string }): string {
  const path = (request.originalUrl ?? request.url ?? '/').split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function levelFor(response: ServerResponse, error: Error | undefined): LevelWithSilent {
  if (error || response.statusCode >= 500) return 'error';
  return response.statusCode >= 400 ? 'warn' : 'info';
}

export function loggerParams(options: ObservabilityOptions): Params {
  const httpOptions: Options<IncomingMessage, ServerResponse> = {
    level: options.logLevel,
    base: { service: options.service, version: options.version },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // The mixin sees the AsyncLocalStorage trace, so HTTP requests and NATS handlers log alike.
    mixin: () => traceFields(currentTrace()),
    // Under Fastify, middie has already set `req.id` to Fastify's counter ("req-1"), so pino-http
    // never calls genReqId; show our request id there instead of a second, unrelated one.
    serializers: {
      req: (request: RequestLog) => ({ ...request, id: traceOfRequest(request.raw).requestId }),
    },
    // Access lines are written on 'finish', possibly outside the request's async context.
    customSuccessObject: (request, _response, value) => ({
      ...value,
      ...traceFields(traceOfRequest(request)),
    }),
    customErrorObject: (request, _response, _error, value) => ({
      ...value,
      ...traceFields(traceOfRequest(request)),
    }),
    customLogLevel: (_request, response, error) => levelFor(response, error),
    autoLogging: { ignore: (request) => UNLOGGED_PATHS.has(pathOf(request)) },
  };
  return {
    pinoHttp: options.logDestination ? [httpOptions, options.logDestination] : httpOptions,
    ...(options.quietRoutes?.length
      ? { exclude: options.quietRoutes.map((path) => ({ path, method: RequestMethod.ALL })) }
      : {}),
  };
}
