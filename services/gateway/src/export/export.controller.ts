import { Readable } from 'node:stream';

import { Controller, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type QueryOf, Route } from '../openapi/route-definition';
import { RouteQuery } from '../openapi/route-input.decorators';
import type { GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { CSV_CONTENT_TYPE } from './csv';
import { hostsCsvExportRoute, prometheusExportRoute } from './export.routes';
import { ExportService } from './export.service';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-exposition';

/**
 * Streaming answers: each handler sends the reply itself and returns the empty string the route's
 * documented `z.string()` response accepts (Nest sends nothing more once `@Res()` is taken).
 */
@ApiTags('Export')
@Controller('api/v1')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Route(prometheusExportRoute)
  async prometheus(@CurrentActor() actor: GatewayActor, @Res() reply: FastifyReply): Promise<string> {
    const text = await this.exports.prometheus(actor);
    await reply.type(PROMETHEUS_CONTENT_TYPE).send(Readable.from(text));
    return '';
  }

  @Route(hostsCsvExportRoute)
  async hostsCsv(
    @RouteQuery() query: QueryOf<typeof hostsCsvExportRoute>,
    @CurrentActor() actor: GatewayActor,
    @Res() reply: FastifyReply,
  ): Promise<string> {
    const rows = await this.exports.hostsCsv(actor, query);
    await reply
      .type(CSV_CONTENT_TYPE)
      .header('Content-Disposition', 'attachment; filename="hosts.csv"')
      .send(Readable.from(rows));
    return '';
  }
}
