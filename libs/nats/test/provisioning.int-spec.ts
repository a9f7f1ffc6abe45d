import { STREAMS } from '@optralis/contracts';
import { createNatsNamespace, type NatsTestNamespace } from '@optralis/testing';

import { NatsNamespace } from '../src/namespace';
import { ensureConsumer, ensureStream } from '../src/provisioning';

describe(ensureStream.name, () => {
  let nats: NatsTestNamespace;

  beforeEach(async () => {
    nats = await createNatsNamespace();
  });

  afterEach(async () => {
    await nats.cleanup();
  });

  it('should create, leave alone, then update a stream when its definition changes', async () => {
    const manager = await nats.connection.jetstreamManager();
    const definition = new NatsNamespace(nats.namespace).stream(STREAMS.EVENTS);

    expect(await ensureStream(manager, definition)).toBe('created');
    expect(await ensureStream(manager, definition)).toBe('unchanged');
    expect(await ensureStream(manager, { ...definition, maxAgeSeconds: 3600 })).toBe('updated');

    const info = await manager.streams.info(definition.name);
    expect(info.config.max_age).toBe(3600 * 1e9);
    expect(info.config.duplicate_window).toBe(STREAMS.EVENTS.duplicateWindowSeconds * 1e9);
  });

  it('should succeed everywhere and leave one stream when several instances provision it at the same moment', async () => {
    const manager = await nats.connection.jetstreamManager();
    const definition = new NatsNamespace(nats.namespace).stream(STREAMS.ALERTS);
    const results = await Promise.all(Array.from({ length: 4 }, () => ensureStream(manager, definition)));
    expect(results.every((result) => result === 'created' || result === 'unchanged')).toBe(true);
    const names = [];
    for await (const name of manager.streams.names()) names.push(name);
    expect(names.filter((name) => name === definition.name)).toHaveLength(1);
  });

  it('should update the durable consumer in place when its limits change', async () => {
    const manager = await nats.connection.jetstreamManager();
    const stream = new NatsNamespace(nats.namespace).stream(STREAMS.AUDIT);
    await ensureStream(manager, stream);
    const consumer = {
      stream: stream.name,
      durable: 'journal',
      filterSubjects: [`${nats.namespace}.audit.>`],
      maxDeliver: 5,
      ackWaitMs: 30_000,
      maxAckPending: 100,
      deliverPolicy: 'all' as const,
    };
    await ensureConsumer(manager, consumer);
    await ensureConsumer(manager, { ...consumer, maxDeliver: 9, maxAckPending: 50 });
    const info = await manager.consumers.info(stream.name, 'journal');
    expect(info.config.max_deliver).toBe(9);
    expect(info.config.max_ack_pending).toBe(50);
  });
});
