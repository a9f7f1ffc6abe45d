import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcError, RpcMethod } from '@optralis/nats';

import { AuditError } from './audit.errors';
import { AuditService } from './audit.service';
import type { JournalEntry } from './audit.types';

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuditError) throw new RpcError(error.code, error.message);
    throw error;
  }
}

function toReply(entry: JournalEntry): ReplyOf<'rpc.auth.audit.list'>['items'][number] {
  return {
    id: entry.id,
    seq: Number(entry.seq),
    tenantId: entry.tenantId,
    time: entry.time.toISOString(),
    service: entry.service as ReplyOf<'rpc.auth.audit.list'>['items'][number]['service'],
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    outcome: entry.outcome as 'success' | 'failure',
    requestId: entry.requestId,
    ip: entry.ip,
    data: entry.data,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/** `rpc.auth.audit.list` and `rpc.auth.audit.verify`. */
@Controller()
export class AuditRpc {
  constructor(private readonly audit: AuditService) {}

  @RpcMethod('rpc.auth.audit.list')
  list(@Payload() request: ParsedRequestOf<'rpc.auth.audit.list'>): Promise<ReplyOf<'rpc.auth.audit.list'>> {
    return mapped(async () => {
      const { filter } = request;
      const page = await this.audit.list(
        request.actor,
        {
          actor: filter.actor,
          action: filter.action,
          from: filter.from ? new Date(filter.from) : undefined,
          to: filter.to ? new Date(filter.to) : undefined,
        },
        { limit: request.limit, cursor: request.cursor },
      );
      return { items: page.items.map(toReply), nextCursor: page.nextCursor };
    });
  }

  @RpcMethod('rpc.auth.audit.verify')
  verify(
    @Payload() request: ParsedRequestOf<'rpc.auth.audit.verify'>,
  ): Promise<ReplyOf<'rpc.auth.audit.verify'>> {
    return mapped(() => this.audit.verify(request.tenantId, request.actor));
  }
}
