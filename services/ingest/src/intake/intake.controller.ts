import { Controller, Logger, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { IntakeError } from './intake.errors';
import { type IntakeFormat, IntakeService } from './intake.service';
import { sendProblem } from './problem.reply';

export const INTAKE_ROUTES = ['/v1/agent/reports', '/api/v2/write', '/api/v1/write', '/v1/metrics'];

/** The four wire formats of CONTRACT.md "Metric intake"; bodies arrive as raw buffers (BodyParserSetup). */
@Controller()
export class IntakeController {
  private readonly logger = new Logger(IntakeController.name);

  constructor(private readonly intake: IntakeService) {}

  @Post(INTAKE_ROUTES[0])
  async agent(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.handle('agent', request, reply, (result) =>
      reply.code(202).send({ accepted: result.published, duplicates: result.duplicates }),
    );
  }

  @Post(INTAKE_ROUTES[1])
  async influx(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.handle('influx', request, reply, () => reply.code(204).send());
  }

  @Post(INTAKE_ROUTES[2])
  async remoteWrite(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.handle('prometheus', request, reply, () => reply.code(204).send());
  }

  /** OTLP/HTTP answers 200 with an ExportMetricsServiceResponse; an empty message is valid in both encodings. */
  @Post(INTAKE_ROUTES[3])
  async otlp(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.handle('otlp', request, reply, (result) => {
      const json = (request.headers['content-type'] ?? '').startsWith('application/json');
      if (!json) return reply.code(200).type('application/x-protobuf').send(Buffer.alloc(0));
      const partial =
        result.dropped > 0
          ? {
              partialSuccess: {
                rejectedDataPoints: String(result.dropped),
                errorMessage: 'non-finite values or unusable names',
              },
            }
          : {};
      return reply.code(200).type('application/json').send(partial);
    });
  }

  private async handle(
    format: IntakeFormat,
    request: FastifyRequest,
    reply: FastifyReply,
    respond: (result: Awaited<ReturnType<IntakeService['accept']>>) => FastifyReply,
  ): Promise<FastifyReply> {
    try {
      const query = request.query as Record<string, string | undefined>;
      const result = await this.intake.accept({
        format,
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        contentEncoding: request.headers['content-encoding'],
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        precision: query.precision,
      });
      return respond(result);
    } catch (error) {
      if (error instanceof IntakeError) {
        // Intake routes are left out of the access log (their volume); refusals stay visible at debug and on /metrics.
        this.logger.debug({ format, status: error.status, detail: error.detail }, 'intake refused');
        return sendProblem(reply, error, request.url.split('?', 1)[0]);
      }
      this.logger.error(
        { error: (error as Error).message, stack: (error as Error).stack, format },
        'intake failed',
      );
      return sendProblem(
        reply,
        new IntakeError(503, 'Service unavailable', 'the report could not be accepted; retry later', {
          retryAfterSeconds: 5,
        }),
        request.url.split('?', 1)[0],
      );
    }
  }
}
