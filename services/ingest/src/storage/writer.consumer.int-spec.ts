import { randomUUID } from 'node:crypto';

import { JetStreamPublisher } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import {
  report,
  startStorageTestApp,
  STORED_SAMPLES,
  type StorageTestApp,
} from '../../test/storage-test-app';
import { WRITER_DURABLE } from './writer.consumer';

describe('WriterConsumer', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let storage: StorageTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    storage = await startStorageTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: {
        INGEST_WRITER_ENABLED: 'true',
        INGEST_WRITER_BATCH_SIZE: '50',
        INGEST_WRITER_BATCH_WAIT_MS: '20',
      },
    });
  });

  afterAll(async () => {
    await storage?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('should store reports from the METRICS stream once and ack them when a report is delivered twice', async () => {
    const tenantId = randomUUID();
    const publisher = storage.app.get(JetStreamPublisher);
    const reports = Array.from({ length: 120 }, (_, index) =>
      report({ tenantId, hostId: `c${index % 7}`, time: new Date(Date.now() - index * 1000) }),
    );

    await publisher.publishMany(
      'metrics.report',
      reports.map((item) => ({ payload: item, msgId: item.id })),
    );
    await publisher.publish('metrics.report', reports[0], { msgId: `${reports[0].id}-again` });

    await expectEventually(async () =>
      expect(await storage.query(STORED_SAMPLES, [tenantId])).toHaveLength(240),
    );
    await expectEventually(async () =>
      expect(await nats.consumerInfo('METRICS', WRITER_DURABLE)).toMatchObject({ pending: 0, ackPending: 0 }),
    );
    expect(await storage.query(STORED_SAMPLES, [tenantId])).toHaveLength(240);
    const [hosts] = await storage.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(hosts.count).toBe(7);
  });
});
