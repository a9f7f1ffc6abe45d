import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DEFAULT_EXPORT_PAGE_SERIES, type ParsedRequestOf, type ReplyOf } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';
import { RpcError, RpcMethod } from '@optralis/nats';

import { MetricsQueryService } from './metrics-query.service';
import { QueryError } from './queries.errors';
import { ReplyBudget } from '../hosts/reply-budget';

async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryError) throw new RpcError(error.code, error.message, error.details);
    throw error;
  }
}

/** `rpc.ingest.metrics.*` and `rpc.ingest.export.latest`: charts, latest values and the Prometheus export. */
@Controller()
export class MetricsRpc {
  constructor(
    private readonly queries: MetricsQueryService,
    private readonly budget: ReplyBudget,
  ) {}

  @RpcMethod('rpc.ingest.metrics.series')
  series(
    @Payload() request: ParsedRequestOf<'rpc.ingest.metrics.series'>,
  ): Promise<ReplyOf<'rpc.ingest.metrics.series'>> {
    return answer(async () => {
      const from = new Date(request.from);
      const to = new Date(request.to);
      const result = await this.queries.series(asTenantId(request.tenantId), {
        ...request,
        from,
        to,
        maxReplyBytes: await this.budget.maxReplyBytes(),
      });
      return { ...result, from: from.toISOString(), to: to.toISOString() };
    });
  }

  @RpcMethod('rpc.ingest.metrics.latest')
  latest(
    @Payload() request: ParsedRequestOf<'rpc.ingest.metrics.latest'>,
  ): Promise<ReplyOf<'rpc.ingest.metrics.latest'>> {
    return answer(async () => ({
      series: await this.queries.latest(asTenantId(request.tenantId), {
        hostId: request.hostId,
        names: request.names,
        maxReplyBytes: await this.budget.maxReplyBytes(),
      }),
    }));
  }

  @RpcMethod('rpc.ingest.metrics.names')
  names(
    @Payload() request: ParsedRequestOf<'rpc.ingest.metrics.names'>,
  ): Promise<ReplyOf<'rpc.ingest.metrics.names'>> {
    return answer(async () => ({
      names: await this.queries.names(asTenantId(request.tenantId), {
        hostId: request.hostId,
        maxReplyBytes: await this.budget.maxReplyBytes(),
      }),
    }));
  }

  /** Paged when the caller names a cursor or a limit; otherwise the whole export in one reply. */
  @RpcMethod('rpc.ingest.export.latest')
  exportLatest(
    @Payload() request: ParsedRequestOf<'rpc.ingest.export.latest'>,
  ): Promise<ReplyOf<'rpc.ingest.export.latest'>> {
    return answer(async () => {
      const tenantId = asTenantId(request.tenantId);
      const maxReplyBytes = await this.budget.maxReplyBytes();
      const { hostIds, maxSeries, cursor, limit } = request;
      if (cursor === undefined && limit === undefined) {
        const series = await this.queries.exportLatest(tenantId, { hostIds, maxSeries, maxReplyBytes });
        return { series, nextCursor: null };
      }
      return this.queries.exportPage(tenantId, {
        hostIds,
        maxSeries,
        cursor,
        limit: limit ?? DEFAULT_EXPORT_PAGE_SERIES,
        maxReplyBytes,
      });
    });
  }
}
