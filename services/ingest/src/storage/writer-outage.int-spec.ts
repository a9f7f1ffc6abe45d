import { randomUUID } from 'node:crypto';

import {
  createTestDatabase,
  expectEventually,
  TcpProxy,
  type TestDatabase,
  uniqueId,
} from '@optralis/testing';
import { Client } from 'pg';

import { report, startStorageTestApp, type StorageTestApp } from '../../test/storage-test-app';
import { SampleWriterService } from './sample-writer.service';

describe(`${SampleWriterService.name} when Postgres goes away`, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let storage: StorageTestApp;
  let direct: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = new TcpProxy();
    const target = new URL(database.url);
    await proxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    storage = await startStorageTestApp({ databaseUrl: proxied.toString(), namespace: uniqueId('n') });
    await storage.relay.stop();
    await storage.partitions.runOnce();
    direct = new Client({ connectionString: database.url });
    await direct.connect();
  });

  afterAll(async () => {
    await direct?.end();
    await storage?.close();
    await proxy?.stop();
    await database?.drop();
  });

  const counts = async (tenantId: string) =>
    (
      await direct.query<{ hosts: number; series: number; samples: number; events: number }>(
        `SELECT (SELECT count(*) FROM "ingest"."hosts" WHERE "tenant_id" = $1)::int AS "hosts",
                (SELECT count(*) FROM "ingest"."series" se JOIN "ingest"."hosts" h ON h."key" = se."host_key"
                 WHERE h."tenant_id" = $1)::int AS "series",
                (SELECT count(*) FROM "ingest"."samples" s JOIN "ingest"."hosts" h ON h."key" = s."host_key"
                 WHERE h."tenant_id" = $1)::int AS "samples",
                (SELECT count(*) FROM "ingest"."event_outbox" WHERE "payload"->>'tenantId' = $1)::int AS "events"`,
        [tenantId],
      )
    ).rows[0];

  it('should reject without committing anything when the connection drops mid-write, then write once it is back', async () => {
    const tenantId = randomUUID();
    const reports = Array.from({ length: 400 }, (_, host) =>
      report({
        tenantId,
        hostId: `h${host}`,
        samples: Array.from({ length: 100 }, (_, index) => ({ name: `m.${index}`, value: index })),
      }),
    );

    const write = storage.writer.write(reports);
    const failed = write.then(
      () => undefined,
      (error: unknown) => error,
    );
    await expectEventually(
      async () => {
        const { rowCount } = await direct.query(
          `SELECT 1 FROM pg_stat_activity WHERE "application_name" = 'optralis-ingest' AND "xact_start" IS NOT NULL
             AND "query" NOT ILIKE '%pg_stat_activity%'`,
        );
        expect(rowCount).toBeGreaterThan(0);
      },
      { intervalMs: 5 },
    );
    await proxy.pause();

    expect(await failed).toBeInstanceOf(Error);
    await expectEventually(async () =>
      expect(await counts(tenantId)).toEqual({ hosts: 0, series: 0, samples: 0, events: 0 }),
    );

    await proxy.resume();
    const summary = await expectEventually(() => storage.writer.write(reports), {
      timeoutMs: 15_000,
      intervalMs: 200,
    });

    expect(summary).toMatchObject({ reports: 400, samplesStored: 40_000, newHosts: 400, events: 400 });
    expect(await counts(tenantId)).toEqual({ hosts: 400, series: 40_000, samples: 400, events: 400 });
  });
});
