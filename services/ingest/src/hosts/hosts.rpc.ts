import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';
import { RpcError, RpcMethod } from '@optralis/nats';

import type { HostDetailRecord, HostRecord } from './host.types';
import { HostError } from './hosts.errors';
import { HostsService, mergedTags } from './hosts.service';
import { ReplyBudget } from './reply-budget';

type HostSummary = ReplyOf<'rpc.ingest.hosts.list'>['items'][number];
type HostDetail = ReplyOf<'rpc.ingest.hosts.get'>;

async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HostError) throw new RpcError(error.code, error.message);
    throw error;
  }
}

function summary(host: HostRecord): HostSummary {
  return {
    id: host.hostId,
    name: host.name,
    description: host.description,
    tags: mergedTags(host),
    status: host.status,
    source: host.source,
    firstSeen: host.firstSeen.toISOString(),
    lastSeen: host.lastSeen.toISOString(),
    statusChangedAt: host.statusChangedAt.toISOString(),
    intervalSeconds: host.intervalSeconds,
    seriesCount: host.seriesCount,
  };
}

function detail(host: HostDetailRecord): HostDetail {
  return {
    ...summary(host),
    editableTags: host.tags,
    reportedTags: host.reportedTags,
    inventory: host.inventory,
    inventoryUpdatedAt: host.inventoryUpdatedAt?.toISOString() ?? null,
    seriesDropped: host.seriesDropped,
    metricNames: host.metricNames,
  };
}

/** `rpc.ingest.hosts.*`: the fleet as the gateway lists, shows, edits and exports it. */
@Controller()
export class HostsRpc {
  constructor(
    private readonly hosts: HostsService,
    private readonly budget: ReplyBudget,
  ) {}

  @RpcMethod('rpc.ingest.hosts.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.ingest.hosts.list'>,
  ): Promise<ReplyOf<'rpc.ingest.hosts.list'>> {
    return answer(async () => {
      const maxReplyBytes = await this.budget.maxReplyBytes();
      const page = await this.hosts.list(asTenantId(request.tenantId), { ...request, maxReplyBytes });
      return { items: page.items.map(summary), nextCursor: page.nextCursor };
    });
  }

  @RpcMethod('rpc.ingest.hosts.get')
  get(@Payload() request: ParsedRequestOf<'rpc.ingest.hosts.get'>): Promise<ReplyOf<'rpc.ingest.hosts.get'>> {
    return answer(async () => detail(await this.hosts.get(asTenantId(request.tenantId), request.hostId)));
  }

  @RpcMethod('rpc.ingest.hosts.update')
  update(
    @Payload() request: ParsedRequestOf<'rpc.ingest.hosts.update'>,
  ): Promise<ReplyOf<'rpc.ingest.hosts.update'>> {
    return answer(async () => {
      const { actor, ...update } = request;
      return detail(await this.hosts.update(actor, update));
    });
  }

  @RpcMethod('rpc.ingest.hosts.exportRows')
  exportRows(
    @Payload() request: ParsedRequestOf<'rpc.ingest.hosts.exportRows'>,
  ): Promise<ReplyOf<'rpc.ingest.hosts.exportRows'>> {
    return answer(async () => {
      const maxReplyBytes = await this.budget.maxReplyBytes();
      const page = await this.hosts.exportRows(asTenantId(request.tenantId), { ...request, maxReplyBytes });
      return { columns: [...page.columns], rows: page.rows, nextCursor: page.nextCursor };
    });
  }
}
