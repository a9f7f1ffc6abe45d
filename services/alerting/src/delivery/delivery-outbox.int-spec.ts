import { randomUUID } from 'node:crypto';

import { MetricsRegistry } from '@optralis/observability';
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

describe(`${DeliveryDispatcher.name} outbox`, () => {
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

  it('should send a delivery again whose lease ran out (a crashed sender) but not one still leased', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const channelId = await webhookChannel(owner, target.url);
    const [crashed, leased] = await enqueue(harness.dataSource, [
      { channelId, notification: firingNotification(owner.tenantId) },
      { channelId, notification: firingNotification(owner.tenantId) },
    ]);
    await harness.dataSource.query(
      `UPDATE "alerting"."deliveries" SET "status" = 'sending', "attempts" = 1,
         "lease_until" = CASE WHEN "id" = $1 THEN now() - interval '1 second' ELSE now() + interval '1 hour' END
       WHERE "id" IN ($1, $2)`,
      [crashed, leased],
    );

    harness.app.get(DeliveryWaker).wake();

    await expectEventually(async () =>
      expect(await deliveryState(harness.dataSource, crashed!)).toMatchObject({
        status: 'delivered',
        attempts: 2,
      }),
    );
    expect(await deliveryState(harness.dataSource, leased!)).toMatchObject({
      status: 'sending',
      attempts: 1,
    });
    expect(deliveryIds(target)).toEqual([crashed]);
  });

  it('should never send a row twice when two instances dispatch one outbox', async () => {
    const owner = actor('editor');
    const target = await receiver(() => ({ status: 200, delayMs: 20 }));
    const channels = [await webhookChannel(owner, target.url), await webhookChannel(owner, target.url)];
    const second = await startDeliveryHarness(startAlertingTestApp, {
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: ENV,
    });
    try {
      const ids = await enqueue(
        harness.dataSource,
        Array.from({ length: 60 }, (_, index) => ({
          channelId: channels[index % 2]!,
          notification: firingNotification(owner.tenantId),
        })),
      );
      harness.app.get(DeliveryWaker).wake();
      second.app.get(DeliveryWaker).wake();

      await expectEventually(
        async () => {
          const [{ delivered }]: [{ delivered: number }] = await harness.dataSource.query(
            `SELECT count(*)::int AS "delivered" FROM "alerting"."deliveries"
              WHERE "id" = ANY($1::uuid[]) AND "status" = 'delivered' AND "attempts" = 1`,
            [ids],
          );
          expect(delivered).toBe(60);
        },
        { timeoutMs: 20_000 },
      );
      expect(deliveryIds(target).sort()).toEqual([...ids].sort());
    } finally {
      await second.close();
    }
  });

  it('should fail deliveries to disabled and deleted channels and skip resolutions a channel does not want', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const disabled = await webhookChannel(owner, target.url, { enabled: false });
    const quiet = await webhookChannel(owner, target.url, { sendResolved: false });

    const toDisabled = await send(disabled, firingNotification(owner.tenantId));
    const toDeleted = await send(randomUUID(), firingNotification(owner.tenantId));
    const resolved = await send(
      quiet,
      firingNotification(owner.tenantId, { type: 'alert.resolved', alert: { state: 'resolved' } }),
    );
    const firing = await send(quiet, firingNotification(owner.tenantId));

    await expectEventually(async () => {
      expect(await deliveryState(harness.dataSource, toDisabled)).toMatchObject({
        status: 'failed',
        last_error: 'channel disabled',
      });
      expect(await deliveryState(harness.dataSource, toDeleted)).toMatchObject({
        status: 'failed',
        last_error: 'channel deleted',
      });
      expect((await deliveryState(harness.dataSource, resolved)).status).toBe('delivered');
      expect((await deliveryState(harness.dataSource, firing)).status).toBe('delivered');
    });
    expect(deliveryIds(target)).toEqual([firing]);
  });

  it('should fill the delivery id, measure detection latency and count outcomes by channel type', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const channelId = await webhookChannel(owner, target.url);
    const notification = firingNotification(owner.tenantId);

    const id = await send(channelId, notification, new Date(Date.now() - 1500));

    await expectEventually(async () => expect(target.received).toHaveLength(1));
    expect(target.received[0]!.json.deliveryId).toBe(id);
    expect(target.received[0]!.headers['x-optralis-delivery']).toBe(id);
    const metrics = await harness.app.get(MetricsRegistry).exposition();
    expect(metrics).toMatch(/alerting_detection_latency_seconds_count\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/alerting_detection_latency_seconds_bucket\{le="60"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /alerting_deliveries_total\{channel_type="webhook",outcome="delivered"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /alerting_delivery_duration_seconds_count\{[^}]*channel_type="webhook"[^}]*\} [1-9]/,
    );
  });

  it('should list only the tenant deliveries, newest first, by channel, alert and status, in pages', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const first = await webhookChannel(owner, target.url);
    const second = await webhookChannel(owner, target.url, { name: 'second' });
    const notification = firingNotification(owner.tenantId);
    const ids = [
      await send(first, notification),
      await send(second, notification),
      await send(first, firingNotification(owner.tenantId)),
    ];
    const stranger = actor('owner');
    await send(await webhookChannel(stranger, target.url), firingNotification(stranger.tenantId));
    const list = (filters: Record<string, unknown>) =>
      harness.rpc.call('rpc.alerting.deliveries.list', { actor: owner, ...filters });

    await expectEventually(async () => expect((await list({ status: 'delivered' })).items).toHaveLength(3));
    const page1 = await list({ limit: 2 });
    const page2 = await list({ limit: 2, cursor: page1.nextCursor! });

    const paged = [...page1.items, ...page2.items];
    const newestFirst = [...paged].sort(
      (left, right) => right.createdAt.localeCompare(left.createdAt) || right.id.localeCompare(left.id),
    );
    expect(paged.map((item) => item.id)).toEqual(newestFirst.map((item) => item.id));
    expect(paged.map((item) => item.id).sort()).toEqual([...ids].sort());
    expect(page2.nextCursor).toBeNull();
    expect((await list({ channelId: second })).items.map((item) => item.channelName)).toEqual(['second']);
    expect((await list({ alertId: notification.alert.id })).items.map((item) => item.id).sort()).toEqual(
      [ids[0], ids[1]].sort(),
    );
    expect((await list({ status: 'failed' })).items).toEqual([]);
    const theirs = await harness.rpc.call('rpc.alerting.deliveries.list', { actor: stranger });
    expect(theirs.items).toHaveLength(1);
  });
});
