import { randomUUID } from 'node:crypto';

import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Logger,
} from '@nestjs/common';
import { REQUEST_ID_HEADER } from '@optralis/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  type ProblemDetails,
  type ProblemInput,
  problemType,
} from './problem';

const HTTP_PROBLEMS: Record<number, { title: string; code: string }> = {
  400: { title: 'Bad request', code: 'invalid_request' },
  401: { title: 'Unauthorized', code: 'unauthorized' },
  403: { title: 'Forbidden', code: 'forbidden' },
  404: { title: 'Not found', code: 'not_found' },
  405: { title: 'Method not allowed', code: 'method_not_allowed' },
  406: { title: 'Not acceptable', code: 'not_acceptable' },
  413: { title: 'Payload too large', code: 'payload_too_large' },
  415: { title: 'Unsupported media type', code: 'unsupported_media_type' },
};

/** Every error of every HTTP route — ours, Nest's, Fastify's (body limit, bad JSON, 404) — as RFC 9457. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.problemOf(exception, request);
    if (reply.sent) return;
    sendProblem(reply, problem, request);
  }

  private problemOf(exception: unknown, request: FastifyRequest): ProblemInput {
    if (exception instanceof ProblemError) return exception.problem;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const known = HTTP_PROBLEMS[status] ?? { title: 'Request refused', code: `http_${status}` };
      const detail =
        status === 413
          ? `the body is larger than ${this.config.GATEWAY_BODY_LIMIT_BYTES} bytes`
          : status === 404
            ? `no route matches ${request.method} ${pathOf(request)}`
            : exception.message;
      return { status, ...known, detail };
    }
    const errorId = randomUUID();
    const error = exception as Error;
    this.logger.error(
      { errorId, route: request.routeOptions?.url, error: error?.message, stack: error?.stack },
      'request failed unexpectedly',
    );
    return ProblemError.internal(errorId).problem;
  }
}

export function sendProblem(reply: FastifyReply, problem: ProblemInput, request: FastifyRequest): void {
  const requestId = reply.getHeader(REQUEST_ID_HEADER);
  const body: ProblemDetails = {
    ...problem.extensions,
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: pathOf(request),
    code: problem.code,
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(problem.errorId ? { errorId: problem.errorId } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
  void reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function pathOf(request: FastifyRequest): string {
  return (request.url ?? '/').split('?', 1)[0];
}
