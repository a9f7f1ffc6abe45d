import { Inject, Injectable } from '@nestjs/common';
import type { ReplyOf } from '@optralis/contracts';

import { Downstream } from '../downstream/downstream.service';
import { type Clock, GATEWAY_CLOCK } from '../gateway.config.provider';
import type { BodyOf, QueryOf } from '../openapi/route-definition';
import { downstreamActor, type GatewayActor } from '../security/actor';
import type { hostMetricsRoute, listHostsRoute, updateHostRoute } from './hosts.routes';

const DEFAULT_RANGE_MS = 3_600_000;

/** The fleet as services/ingest keeps it (`rpc.ingest.*`), always in the caller's own tenant. */
@Injectable()
export class HostsService {
  constructor(
    private readonly downstream: Downstream,
    @Inject(GATEWAY_CLOCK) private readonly clock: Clock,
  ) {}

  list(
    actor: GatewayActor,
    query: QueryOf<typeof listHostsRoute>,
  ): Promise<ReplyOf<'rpc.ingest.hosts.list'>> {
    const { q, status, tag, limit, cursor } = query;
    return this.downstream.call('rpc.ingest.hosts.list', {
      tenantId: actor.tenantId,
      filters: { q, status, tag },
      limit,
      cursor,
    });
  }

  get(actor: GatewayActor, hostId: string): Promise<ReplyOf<'rpc.ingest.hosts.get'>> {
    return this.downstream.call('rpc.ingest.hosts.get', { tenantId: actor.tenantId, hostId });
  }

  update(
    actor: GatewayActor,
    hostId: string,
    change: BodyOf<typeof updateHostRoute>,
  ): Promise<ReplyOf<'rpc.ingest.hosts.update'>> {
    return this.downstream.call('rpc.ingest.hosts.update', {
      actor: downstreamActor(actor),
      hostId,
      ...change,
    });
  }

  metrics(
    actor: GatewayActor,
    hostId: string,
    query: QueryOf<typeof hostMetricsRoute>,
  ): Promise<ReplyOf<'rpc.ingest.metrics.series'>> {
    const to = query.to ?? this.clock.now().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString();
    return this.downstream.call('rpc.ingest.metrics.series', {
      tenantId: actor.tenantId,
      hostId,
      names: query.name,
      from,
      to,
      stepSeconds: query.step,
      maxPoints: query.maxPoints,
    });
  }
}
