import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, startAlertingTestApp } from '../../test/alerting-test-app';
import { DeliveryWaker } from '../shared/ports';
import { DeliveryDispatcher } from './delivery-dispatcher.service';
import { type DeliveryHarness, startDeliveryHarness } from './testing/delivery-harness';
import { deliveryState, enqueue, firingNotification } from './testing/notifications';
import { outboxFixtures } from './testing/outbox-fixtures';

const ENV = {
  ALERTING_DELIVERY_TIMEOUT_MS: '1000',
  ALERTING_DELIVERY_BACKOFF_MS: '10',
  ALERTING_DELIVERY_MAX_BACKOFF_MS: '100',
  ALERTING_DELIVERY_MAX_ATTEMPTS: '3',
  ALERTING_DELIVERY_CONCURRENCY: '8',
};

describe(DeliveryDispatcher.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: DeliveryHarness<AlertingTestApp>;
  const { receiver, webhookChannel, send, deliveryIds, closeReceivers } = outboxFixtures(() => harness);

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    harness = await startDeliveryHarness(startAlertingTestApp, {
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: ENV,
    });
  });

  afterAll(async () => {
    await harness?.close();
    await closeReceivers();
    await nats.cleanup();
    await database.drop();
  });

  it('should retry an endpoint that answers 500 and deliver once when it answers 200', async () => {
    const owner = actor('editor');
    const flaky = await receiver((_, index) =>
      index === 0 ? { status: 500, body: 'oops' } : { status: 200 },
    );
    const channelId = await webhookChannel(owner, flaky.url);

    const id = await send(channelId, firingNotification(owner.tenantId));

    const state = await expectEventually(async () => {
      const current = await deliveryState(harness.dataSource, id);
      expect(current.status).toBe('delivered');
      return current;
    });
    expect(state).toMatchObject({ attempts: 2, last_status_code: 200, last_error: 'HTTP 500: oops' });
    expect(deliveryIds(flaky)).toEqual([id, id]);
  });

  it('should time out a hanging endpoint and retry it while another channel delivers at once', async () => {
    const owner = actor('editor');
    const hanging = await receiver((_, index) => (index === 0 ? 'hang' : { status: 200 }));
    const healthy = await receiver();
    const slowChannel = await webhookChannel(owner, hanging.url);
    const fastChannel = await webhookChannel(owner, healthy.url);

    const slow = await send(slowChannel, firingNotification(owner.tenantId));
    const fast = await send(fastChannel, firingNotification(owner.tenantId));

    await expectEventually(async () =>
      expect((await deliveryState(harness.dataSource, fast)).status).toBe('delivered'),
    );
    expect(await deliveryState(harness.dataSource, slow)).toMatchObject({
      status: 'sending',
      attempts: 1,
      last_error: null,
    });
    const retried = await expectEventually(async () => {
      const current = await deliveryState(harness.dataSource, slow);
      expect(current.status).toBe('delivered');
      return current;
    });
    expect(retried.attempts).toBe(2);
    expect(retried.last_error).toMatch(/no answer from 127\.0\.0\.1:\d+ within 1000 ms/);
    expect(deliveryIds(hanging)).toEqual([slow, slow]);
  });

  it('should fail at once, with the status kept, when the endpoint answers 400', async () => {
    const owner = actor('editor');
    const refusing = await receiver(() => ({ status: 400, body: 'bad payload' }));
    const channelId = await webhookChannel(owner, refusing.url);

    const id = await send(channelId, firingNotification(owner.tenantId));

    const state = await expectEventually(async () => {
      const current = await deliveryState(harness.dataSource, id);
      expect(current.status).toBe('failed');
      return current;
    });
    expect(state).toMatchObject({ attempts: 1, last_status_code: 400, last_error: 'HTTP 400: bad payload' });
    expect(refusing.received).toHaveLength(1);
  });

  it('should give up after the last attempt and show why in the delivery log', async () => {
    const owner = actor('editor');
    const down = await receiver(() => ({ status: 503, body: 'maintenance' }));
    const channelId = await webhookChannel(owner, down.url);
    const notification = firingNotification(owner.tenantId);

    const id = await send(channelId, notification);

    const [logged] = await expectEventually(async () => {
      const { items } = await harness.rpc.call('rpc.alerting.deliveries.list', {
        actor: actor('observer', owner.tenantId),
        channelId,
        status: 'failed',
      });
      expect(items).toHaveLength(1);
      return items;
    });
    expect(logged).toMatchObject({
      id,
      channelId,
      channelName: 'hook',
      channelType: 'webhook',
      alertId: notification.alert.id,
      kind: 'firing',
      status: 'failed',
      attempts: 3,
      lastStatusCode: 503,
      lastError: 'HTTP 503: maintenance (gave up after 3 attempts)',
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(down.received).toHaveLength(3);
  });

  it('should hold what exceeds a channel rate limit and send it later, without counting attempts', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const channelId = await webhookChannel(owner, target.url, { rateLimitPerMinute: 60 });

    const ids = await enqueue(
      harness.dataSource,
      Array.from({ length: 63 }, () => ({ channelId, notification: firingNotification(owner.tenantId) })),
    );
    harness.app.get(DeliveryWaker).wake();

    await expectEventually(
      async () => {
        const rows: { status: string; attempts: number }[] = await harness.dataSource.query(
          `SELECT "status", "attempts" FROM "alerting"."deliveries" WHERE "channel_id" = $1`,
          [channelId],
        );
        expect(rows.filter((row) => row.status === 'delivered')).toHaveLength(63);
        expect(rows.every((row) => row.attempts === 1)).toBe(true);
      },
      { timeoutMs: 20_000 },
    );
    expect(deliveryIds(target).sort()).toEqual([...ids].sort());
    const times = target.received.map((request) => request.receivedAt);
    // 60 at once, then one a second: the last three wait for tokens.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2000);
  });
});
