import { Injectable } from '@nestjs/common';
import type { TokenActor } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import { canRead } from '../shared/actor-access';
import { decodeCursor, page } from '../shared/list-cursor';
import { type DeliveryRecord, DeliveryRepository, type DeliveryStatus } from './delivery.repository';

export interface DeliveryFilters {
  channelId?: string;
  alertId?: string;
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

/** The delivery log: what was sent where, how often it was tried and how it ended, newest first. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly repository: DeliveryRepository) {}

  list(
    actor: TokenActor,
    filters: DeliveryFilters,
  ): Promise<{ items: DeliveryRecord[]; nextCursor: string | null }> {
    return this.listOf(canRead(actor), filters);
  }

  async listOf(
    tenantId: TenantId,
    filters: DeliveryFilters,
  ): Promise<{ items: DeliveryRecord[]; nextCursor: string | null }> {
    const { cursor, limit, ...where } = filters;
    const rows = await this.repository.list(tenantId, {
      ...where,
      before: decodeCursor(cursor),
      limit: limit + 1,
    });
    return page(rows, limit, (row) => ({ time: row.createdAt, id: row.id }));
  }
}
