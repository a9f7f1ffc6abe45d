import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { IntakeError } from './intake.errors';
import { sendProblem } from './problem.reply';

/** Fastify's own refusals (body too large, bad length, unknown route) reach clients as problem+json too. */
@Catch(HttpException)
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const status = exception.getStatus();
    const problem =
      status === 413
        ? new IntakeError(
            413,
            'Payload too large',
            `the body is larger than ${this.config.INGEST_MAX_BODY_BYTES} bytes`,
          )
        : new IntakeError(status as 400, titleOf(status), exception.message);
    sendProblem(http.getResponse<FastifyReply>(), problem, (request.url ?? '/').split('?', 1)[0]);
  }
}

function titleOf(status: number): string {
  if (status === 404) return 'Not found';
  if (status === 405) return 'Method not allowed';
  if (status === 415) return 'Unsupported media type';
  return status >= 500 ? 'Internal error' : 'Bad request';
}
