import { Module } from '@nestjs/common';

import { ChannelsModule } from '../channels/channels.module';
import { DeliveryWaker } from '../shared/ports';
import { DeliveriesRpc } from './deliveries.rpc';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttempts } from './delivery-attempts.service';
import { DeliveryDispatcher } from './delivery-dispatcher.service';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryRepository } from './delivery.repository';

/** The notification outbox: its dispatcher (bound as the DeliveryWaker port) and the delivery log. */
@Module({
  imports: [ChannelsModule],
  controllers: [DeliveriesRpc],
  providers: [
    DeliveryRepository,
    DeliveryMetrics,
    DeliveryAttempts,
    DeliveryDispatcher,
    DeliveriesService,
    { provide: DeliveryWaker, useExisting: DeliveryDispatcher },
  ],
  exports: [DeliveryWaker, DeliveriesService],
})
export class DeliveryModule {}
