import type { INestMicroservice } from '@nestjs/common';
import { createNatsNamespace, expectEventually, type NatsTestNamespace, uniqueId } from '@optralis/testing';

import { JetStreamPublisher } from '../src/jetstream.publisher';
import { JetStreamTransport } from '../src/jetstream.transport';
import { auditEvent, startConsumerApp } from './consumer-app';

describe(JetStreamTransport.name, () => {
  let nats: NatsTestNamespace;
  const apps: INestMicroservice[] = [];

  beforeEach(async () => {
    nats = await createNatsNamespace();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
    await nats.cleanup();
  });

  async function start(
    consumer: Parameters<typeof startConsumerApp>[0]['consumer'],
    behaviour?: Parameters<typeof startConsumerApp>[0]['behaviour'],
  ) {
    const started = await startConsumerApp({ namespace: nats.namespace, consumer, behaviour });
    apps.push(started.app);
    return { ...started, publisher: started.app.get(JetStreamPublisher) };
  }

  it('should dead-letter a message with the reason and never hand it to the handler when it fails its schema', async () => {
    const { deliveries } = await start({ durable: 'audit-journal' });
    const tenantId = uniqueId();
    await nats.publishRaw(`audit.${tenantId}.auth`, JSON.stringify({ id: 'x', tenantId, action: 42 }));
    await nats.publishRaw(`audit.${tenantId}.auth`, 'not json at all');

    const letters = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(letters.map((letter) => letter.kind)).toEqual(['invalid', 'invalid']);
    expect(letters[0].reason).toMatch(/schema validation failed: .*action/);
    expect(letters[1].reason).toMatch(/not valid JSON/);
    expect(Buffer.from(letters[1].data, 'base64').toString()).toBe('not json at all');
    await expectEventually(async () =>
      expect(await nats.consumerInfo('AUDIT', 'audit-journal')).toEqual({
        pending: 0,
        ackPending: 0,
        redelivered: 0,
      }),
    );
    expect(deliveries).toHaveLength(0);
  });

  it('should refuse a message over the stream size limit at publish time when a sender is hostile', async () => {
    const tenantId = uniqueId();
    const oversized = 'x'.repeat(2 * 1024 * 1024);
    await expect(nats.publishRaw(`audit.${tenantId}.auth`, oversized)).rejects.toThrow(
      /size|maximum|payload/i,
    );
  });

  it('should redeliver with backoff up to maxDeliver and then dead-letter when the handler keeps throwing', async () => {
    const { deliveries, publisher } = await start({
      durable: 'audit-journal',
      maxDeliver: 3,
      backoffBaseMs: 20,
      backoffMaxMs: 100,
    });
    const event = auditEvent(uniqueId(), 'fail');
    await publisher.publish('audit.recorded', event, { msgId: event.id });

    const [letter] = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter.kind).toBe('exhausted');
    expect(letter.reason).toContain('handler refused on purpose');
    expect(letter.deliveries).toBe(3);
    expect(deliveries.map((delivery) => delivery.deliveryCount)).toEqual([1, 2, 3]);
  });

  it('should dead-letter at once without retrying when the handler rejects the message', async () => {
    const { deliveries, publisher } = await start({ durable: 'audit-journal' });
    const event = auditEvent(uniqueId(), 'reject');
    await publisher.publish('audit.recorded', event, { msgId: event.id });

    const [letter] = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter).toMatchObject({ kind: 'rejected', reason: 'rejected on purpose', deliveries: 1 });
    expect(deliveries).toHaveLength(1);
  });

  it('should handle a message once when the same msgID is published twice', async () => {
    const { deliveries, publisher } = await start({ durable: 'audit-journal' });
    const tenantId = uniqueId();
    const event = auditEvent(tenantId, 'ok');
    const first = await publisher.publish('audit.recorded', event, { msgId: event.id });
    const second = await publisher.publish('audit.recorded', event, { msgId: event.id });
    const sentinel = auditEvent(tenantId, 'ok');
    await publisher.publish('audit.recorded', sentinel, { msgId: sentinel.id });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    await expectEventually(() =>
      expect(deliveries.map((delivery) => delivery.eventId)).toContain(sentinel.id),
    );
    expect(deliveries.filter((delivery) => delivery.eventId === event.id)).toHaveLength(1);
  });

  it('should redeliver unsettled messages to the next instance when a consumer dies mid-batch', async () => {
    const consumer = { durable: 'audit-journal', ackWaitMs: 1000, concurrency: 10, drainTimeoutMs: 100 };
    const doomed = await start(consumer, async () => new Promise<never>(() => undefined));
    const tenantId = uniqueId();
    const events = Array.from({ length: 5 }, () => auditEvent(tenantId, 'ok'));
    await doomed.publisher.publishMany(
      'audit.recorded',
      events.map((payload) => ({ payload, msgId: payload.id })),
    );
    await expectEventually(() => expect(doomed.deliveries).toHaveLength(5));

    const connection = await doomed.nats.connect();
    await connection.close(); // the crash: no ack, no drain

    const next = await start(consumer);
    await expectEventually(
      () =>
        expect(new Set(next.deliveries.map((delivery) => delivery.eventId))).toEqual(
          new Set(events.map((event) => event.id)),
        ),
      { timeoutMs: 15_000 },
    );
    expect(next.deliveries.every((delivery) => delivery.deliveryCount >= 2)).toBe(true);
  });

  it('should split the work without handling a message twice when two instances share a durable consumer', async () => {
    const first = await start({ durable: 'audit-journal', concurrency: 4 });
    const second = await start({ durable: 'audit-journal', concurrency: 4 });
    const tenantId = uniqueId();
    const events = Array.from({ length: 200 }, () => auditEvent(tenantId, 'ok'));
    await first.publisher.publishMany(
      'audit.recorded',
      events.map((payload) => ({ payload, msgId: payload.id })),
    );

    const all = () => [...first.deliveries, ...second.deliveries];
    await expectEventually(() => expect(new Set(all().map((delivery) => delivery.eventId)).size).toBe(200));
    await expectEventually(async () =>
      expect(await nats.consumerInfo('AUDIT', 'audit-journal')).toMatchObject({ pending: 0, ackPending: 0 }),
    );
    expect(all()).toHaveLength(200);
    expect(first.deliveries.length).toBeGreaterThan(0);
    expect(second.deliveries.length).toBeGreaterThan(0);
  });

  it('should carry the trace id of the publisher to the handler when the publish runs inside a trace', async () => {
    const { runWithTrace } = await import('@optralis/observability');
    const { deliveries, publisher } = await start({ durable: 'audit-journal' });
    const event = auditEvent(uniqueId(), 'ok');
    await runWithTrace({ traceId: 'trace-abc', requestId: 'request-abc' }, () =>
      publisher.publish('audit.recorded', event, { msgId: event.id }),
    );
    await expectEventually(() => expect(deliveries).toHaveLength(1));
    expect(deliveries[0].traceId).toBe('trace-abc');
  });
});
