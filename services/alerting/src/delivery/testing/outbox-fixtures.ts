import type { INestApplicationContext } from '@nestjs/common';
import type { AlertNotification, TokenActor } from '@optralis/contracts';
import type { RpcClient } from '@optralis/nats';

import { DeliveryWaker } from '../../shared/ports';
import type { DeliveryHarness } from './delivery-harness';
import { enqueue } from './notifications';
import { type Answer, type HttpReceiver, type ReceivedRequest, startHttpReceiver } from './receivers';

export const WEBHOOK_SECRET = 'dispatcher-test-secret-0001';

type Harness = DeliveryHarness<{ app: INestApplicationContext; rpc: RpcClient }>;

/** Receivers, webhook channels and queued notifications for outbox tests; `harness` is read when used. */
export function outboxFixtures(harness: () => Harness) {
  const receivers: HttpReceiver[] = [];
  return {
    async receiver(answer?: (request: ReceivedRequest, index: number) => Answer): Promise<HttpReceiver> {
      const started = await startHttpReceiver(answer);
      receivers.push(started);
      return started;
    },

    async webhookChannel(owner: TokenActor, url: string, overrides: Record<string, unknown> = {}) {
      const channel = await harness().rpc.call('rpc.alerting.channels.create', {
        actor: owner,
        channel: { name: 'hook', type: 'webhook', config: { url, secret: WEBHOOK_SECRET }, ...overrides },
      });
      return channel.id;
    },

    /** Queues one notification as the alert lifecycle does and wakes the dispatcher; the delivery id. */
    async send(channelId: string, notification: AlertNotification, sampleTime: Date | null = null) {
      const [id] = await enqueue(harness().dataSource, [{ channelId, notification, sampleTime }]);
      harness().app.get(DeliveryWaker).wake();
      return id!;
    },

    deliveryIds(target: HttpReceiver): string[] {
      return target.received.map((request) => String(request.headers['x-optralis-delivery']));
    },

    async closeReceivers(): Promise<void> {
      await Promise.all(receivers.map((started) => started.close()));
    },
  };
}
