import { Controller, Inject, type INestMicroservice } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { AuditEvent } from '@optralis/contracts';
import {
  createNatsNamespace,
  expectEventually,
  type NatsTestNamespace,
  TEST_NATS_URL,
  uniqueId,
} from '@optralis/testing';

import { JetStreamBatchHandler } from '../src/decorators';
import type { BatchConsumerOptions, BatchItem, BatchOutcome } from '../src/jetstream.batch-runner';
import { JetStreamPublisher } from '../src/jetstream.publisher';
import { JetStreamTransport } from '../src/jetstream.transport';
import { NatsConnectionService } from '../src/nats-connection.service';
import { NatsModule } from '../src/nats.module';
import { Outcomes } from '../src/outcome';
import { auditEvent } from './consumer-app';

type BatchBehaviour = (events: AuditEvent[]) => Promise<BatchOutcome>;
const BEHAVIOUR = Symbol('BEHAVIOUR');
const BATCHES = Symbol('BATCHES');

async function startBatchApp(input: {
  namespace: string;
  consumer: BatchConsumerOptions;
  behaviour?: BatchBehaviour;
}): Promise<{ app: INestMicroservice; batches: BatchItem<AuditEvent>[][]; publisher: JetStreamPublisher }> {
  const batches: BatchItem<AuditEvent>[][] = [];

  @Controller()
  class AuditBatchConsumer {
    constructor(
      @Inject(BEHAVIOUR) private readonly behaviour: BatchBehaviour,
      @Inject(BATCHES) private readonly seen: BatchItem<AuditEvent>[][],
    ) {}

    @JetStreamBatchHandler('audit.recorded', input.consumer)
    async handle(@Payload() items: BatchItem<AuditEvent>[]): Promise<BatchOutcome> {
      this.seen.push(items);
      return this.behaviour(items.map((item) => item.payload));
    }
  }

  const moduleRef = await Test.createTestingModule({
    imports: [NatsModule.forRoot({ servers: TEST_NATS_URL, service: 'auth', namespace: input.namespace })],
    controllers: [AuditBatchConsumer],
    providers: [
      { provide: BEHAVIOUR, useValue: input.behaviour ?? (async () => Outcomes.done()) },
      { provide: BATCHES, useValue: batches },
    ],
  }).compile();
  const app = moduleRef.createNestMicroservice({
    strategy: moduleRef.get(JetStreamTransport),
    logger: false,
  });
  await app.listen();
  await moduleRef.get(NatsConnectionService).ready();
  return { app, batches, publisher: moduleRef.get(JetStreamPublisher) };
}

describe('JetStreamBatchHandler', () => {
  let nats: NatsTestNamespace;
  const apps: INestMicroservice[] = [];

  beforeEach(async () => {
    nats = await createNatsNamespace();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
    await nats.cleanup();
  });

  async function start(consumer: BatchConsumerOptions, behaviour?: BatchBehaviour) {
    const started = await startBatchApp({ namespace: nats.namespace, consumer, behaviour });
    apps.push(started.app);
    return started;
  }

  function publishEvents(publisher: JetStreamPublisher, events: AuditEvent[]) {
    return publisher.publishMany(
      'audit.recorded',
      events.map((payload) => ({ payload, msgId: payload.id })),
    );
  }

  it('should hand messages over in batches no larger than batchSize and ack them all when the batch is done', async () => {
    const { batches, publisher } = await start({ durable: 'journal', batchSize: 10, maxWaitMs: 50 });
    const tenantId = uniqueId();
    const events = Array.from({ length: 35 }, () => auditEvent(tenantId, 'ok'));
    await publishEvents(publisher, events);

    await expectEventually(() => expect(batches.flat()).toHaveLength(35));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(10);
    expect(batches.flat().map((item) => item.payload.id)).toEqual(events.map((event) => event.id));
    await expectEventually(async () =>
      expect(await nats.consumerInfo('AUDIT', 'journal')).toEqual({
        pending: 0,
        ackPending: 0,
        redelivered: 0,
      }),
    );
  });

  it('should hand over a partial batch after maxWaitMs when fewer messages than batchSize arrive', async () => {
    const { batches, publisher } = await start({ durable: 'journal', batchSize: 1000, maxWaitMs: 30 });
    const events = Array.from({ length: 3 }, () => auditEvent(uniqueId(), 'ok'));
    await publishEvents(publisher, events);

    await expectEventually(() => expect(batches.flat()).toHaveLength(3));
    expect(batches.flat().every((item) => item.info.deliveryCount === 1)).toBe(true);
  });

  it('should redeliver the whole batch when the handler throws and ack it once a retry succeeds', async () => {
    let failures = 1;
    const { batches, publisher } = await start(
      { durable: 'journal', batchSize: 5, maxWaitMs: 20, backoffBaseMs: 10, backoffMaxMs: 20 },
      async () => {
        if (failures-- > 0) throw new Error('database away');
        return Outcomes.done();
      },
    );
    const events = Array.from({ length: 5 }, () => auditEvent(uniqueId(), 'ok'));
    await publishEvents(publisher, events);

    await expectEventually(() =>
      expect(batches.flat().filter((item) => item.info.deliveryCount === 2)).toHaveLength(5),
    );
    await expectEventually(async () =>
      expect(await nats.consumerInfo('AUDIT', 'journal')).toMatchObject({ pending: 0, ackPending: 0 }),
    );
    expect(await nats.deadLetters('AUDIT')).toHaveLength(0);
  });

  it('should dead-letter only the items whose outcome rejects them when the handler returns one outcome per item', async () => {
    const { publisher } = await start({ durable: 'journal', batchSize: 4, maxWaitMs: 20 }, async (events) =>
      events.map((event) =>
        event.action === 'reject' ? Outcomes.reject(`refused ${event.id}`) : Outcomes.done(),
      ),
    );
    const tenantId = uniqueId();
    const events = [auditEvent(tenantId, 'ok'), auditEvent(tenantId, 'reject'), auditEvent(tenantId, 'ok')];
    await publishEvents(publisher, events);

    const letters = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letters[0]).toMatchObject({ kind: 'rejected', reason: `refused ${events[1].id}` });
  });

  it('should dead-letter an invalid message alone and still hand the valid ones over when the stream holds garbage', async () => {
    const { batches, publisher } = await start({ durable: 'journal', batchSize: 10, maxWaitMs: 20 });
    const tenantId = uniqueId();
    await nats.publishRaw(`audit.${tenantId}.auth`, '{"not":"an audit event"}');
    const valid = auditEvent(tenantId, 'ok');
    await publishEvents(publisher, [valid]);

    await expectEventually(() => expect(batches.flat().map((item) => item.payload.id)).toEqual([valid.id]));
    const letters = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letters[0].reason).toMatch(/schema validation failed/);
  });

  it('should give up after maxDeliver and dead-letter each message of a batch that keeps failing', async () => {
    const { batches, publisher } = await start(
      { durable: 'journal', batchSize: 2, maxWaitMs: 10, maxDeliver: 2, backoffBaseMs: 10, backoffMaxMs: 20 },
      async () => Outcomes.retry('still broken'),
    );
    const events = [auditEvent(uniqueId(), 'ok'), auditEvent(uniqueId(), 'ok')];
    await publishEvents(publisher, events);

    const letters = await expectEventually(async () => {
      const found = await nats.deadLetters('AUDIT');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(
      letters.every((letter) => letter.kind === 'exhausted' && letter.reason.includes('still broken')),
    ).toBe(true);
    expect(batches.flat()).toHaveLength(4);
  });
});
