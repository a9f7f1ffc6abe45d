import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Delivery, ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { DeliveriesService } from './deliveries.service';
import type { DeliveryRecord } from './delivery.repository';

function reply(delivery: DeliveryRecord): Delivery {
  return {
    ...delivery,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

/** `rpc.alerting.deliveries.list`: the notification log as the console shows it. */
@Controller()
export class DeliveriesRpc {
  constructor(private readonly deliveries: DeliveriesService) {}

  @RpcMethod('rpc.alerting.deliveries.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.deliveries.list'>,
  ): Promise<ReplyOf<'rpc.alerting.deliveries.list'>> {
    return answer(async () => {
      const { actor, ...filters } = request;
      const result = await this.deliveries.list(actor, filters);
      return { items: result.items.map(reply), nextCursor: result.nextCursor };
    });
  }
}
