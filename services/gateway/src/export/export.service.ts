import { Inject, Injectable } from '@nestjs/common';
import { INGEST_ERROR_CODES, MAX_EXPORT_PAGE_SERIES } from '@optralis/contracts';

import type { GatewayConfig } from '../config';
import { Downstream } from '../downstream/downstream.service';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import type { QueryOf } from '../openapi/route-definition';
import type { GatewayActor } from '../security/actor';
import { openCursorPages } from './cursor-pages';
import type { hostsCsvExportRoute } from './export.routes';
import { hostsCsv } from './hosts-csv';
import { PrometheusExpositionWriter, prometheusExposition } from './prometheus-exposition';

const CSV_PAGE_ROWS = 5000;

/**
 * The exports, read page by page from services/ingest. The first page is read before anything is
 * answered, so a refusal still becomes a problem; the rest is streamed as the client reads it.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly downstream: Downstream,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async prometheus(actor: GatewayActor): Promise<AsyncGenerator<string>> {
    const { tenantId } = actor;
    const maxSeries = this.config.GATEWAY_EXPORT_MAX_SERIES;
    const pages = await openCursorPages((cursor) =>
      this.downstream.call('rpc.ingest.export.latest', {
        tenantId,
        limit: MAX_EXPORT_PAGE_SERIES,
        maxSeries,
        cursor,
      }),
    ).catch((error: unknown) => {
      throw tooManySeries(error, maxSeries) ?? error;
    });
    return prometheusExposition(pages, new PrometheusExpositionWriter({ tenant: tenantId }));
  }

  async hostsCsv(
    actor: GatewayActor,
    filters: QueryOf<typeof hostsCsvExportRoute>,
  ): Promise<AsyncGenerator<string>> {
    const { tenantId } = actor;
    const pages = await openCursorPages((cursor) =>
      this.downstream.call('rpc.ingest.hosts.exportRows', {
        tenantId,
        filters,
        limit: CSV_PAGE_ROWS,
        cursor,
      }),
    );
    return hostsCsv(pages);
  }
}

function tooManySeries(error: unknown, maxSeries: number): ProblemError | undefined {
  if (!(error instanceof ProblemError) || error.problem.code !== INGEST_ERROR_CODES.tooManySeries) {
    return undefined;
  }
  return new ProblemError({
    ...error.problem,
    title: 'Too many series to export',
    detail: `this tenant holds more than ${maxSeries} series, the most the export answers with (GATEWAY_EXPORT_MAX_SERIES); export fewer series or raise the limit`,
  });
}
