import { randomUUID } from 'node:crypto';

import { type HostEvent, HostEvent as HostEventSchema } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { report, startStorageTestApp, type StorageTestApp } from '../../test/storage-test-app';
import { EventRelayService } from './event-relay.service';
import { HostStatusService } from './host-status.service';

const MINUTE_MS = 60_000;

describe(`${HostStatusService.name} and ${EventRelayService.name}`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let storage: StorageTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    storage = await startStorageTestApp({ databaseUrl: database.url, namespace: nats.namespace });
    await storage.relay.stop();
  });

  afterAll(async () => {
    await storage?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  const outbox = async (tenantId: string) =>
    (
      await storage.query<{ msg_id: string; payload: HostEvent }>(
        `SELECT "msg_id", "payload" FROM "ingest"."event_outbox" WHERE "payload"->>'tenantId' = $1 ORDER BY "id"`,
        [tenantId],
      )
    ).map((row) => {
      expect(row.payload.id).toBe(row.msg_id);
      expect(HostEventSchema.safeParse(row.payload).success).toBe(true);
      return [row.payload.kind, row.msg_id];
    });

  it('should write registered and inventory events once when the same reports are written again', async () => {
    const tenantId = randomUUID();
    const first = report({ tenantId, hostId: 'inv', inventory: { os: 'debian', cpus: 4, disks: ['sda'] } });
    const same = report({
      tenantId,
      hostId: 'inv',
      time: new Date(Date.now() + 1000),
      inventory: { disks: ['sda'], cpus: 4, os: 'debian' },
    });
    const changed = report({
      tenantId,
      hostId: 'inv',
      time: new Date(Date.now() + 2000),
      inventory: { os: 'arch' },
    });

    await storage.writer.write([first]);
    await storage.writer.write([first]);
    await storage.writer.write([same]);
    await storage.writer.write([changed]);
    await storage.writer.write([changed]);

    const events = await outbox(tenantId);
    expect(events.map(([kind]) => kind)).toEqual(['registered', 'inventory', 'inventory']);
    expect(events[0][1]).toBe(`host:${tenantId}:inv:registered`);
    expect(events[1][1]).toMatch(new RegExp(`^host:${tenantId}:inv:inventory:[0-9a-f]{32}$`));
    expect(events[2][1]).not.toBe(events[1][1]);
    const [host] = await storage.query<{ inventory: unknown }>(
      `SELECT "inventory" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(host.inventory).toEqual({ os: 'arch' });
  });

  it('should mark a silent host offline once and bring it back online once when it reports again', async () => {
    const tenantId = randomUUID();
    const longAgo = new Date(Date.now() - 10 * MINUTE_MS);
    await storage.writer.write([report({ tenantId, hostId: 'quiet', time: longAgo })]);
    storage.progress.record(0);

    const swept = await storage.status.runOnce();
    const again = await storage.status.runOnce();
    await storage.writer.write([report({ tenantId, hostId: 'quiet' })]);
    await storage.writer.write([report({ tenantId, hostId: 'quiet', time: new Date(Date.now() + 1000) })]);

    expect(swept).toMatchObject({ kind: 'swept', offline: expect.any(Number) });
    expect(again).toMatchObject({ kind: 'swept', offline: 0 });
    const events = await outbox(tenantId);
    expect(events.map(([kind]) => kind)).toEqual(['registered', 'offline', 'online']);
    expect(events[1][1]).toMatch(new RegExp(`^host:${tenantId}:quiet:offline:\\d{13}$`));
    expect(events[2][1]).toMatch(new RegExp(`^host:${tenantId}:quiet:online:\\d{13}$`));
    const [host] = await storage.query<{ status: string }>(
      `SELECT "status" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(host.status).toBe('online');
  });

  it('should skip the offline sweep while the writer works through a backlog', async () => {
    const tenantId = randomUUID();
    const backlog = new Date(Date.now() - 2 * MINUTE_MS);
    await storage.writer.write([report({ tenantId, hostId: 'behind', time: backlog })]);

    const skipped = await storage.status.runOnce();
    await storage.writer.write([report({ tenantId, hostId: 'current' })]);
    const swept = await storage.status.runOnce();

    expect(skipped).toEqual({ kind: 'skipped', reason: 'writer-behind' });
    expect(swept).toMatchObject({ kind: 'swept' });
    const hosts = await storage.query<{ host_id: string; status: string }>(
      `SELECT "host_id", "status" FROM "ingest"."hosts" WHERE "tenant_id" = $1 ORDER BY "host_id"`,
      [tenantId],
    );
    expect(hosts).toEqual([
      { host_id: 'behind', status: 'offline' },
      { host_id: 'current', status: 'online' },
    ]);
  });

  it('should publish outbox events to the EVENTS stream in order and empty the outbox', async () => {
    const tenantId = randomUUID();
    await storage.writer.write([report({ tenantId, hostId: 'pub', inventory: { os: 'debian' } })]);
    await storage.query(
      `UPDATE "ingest"."hosts" SET "last_seen" = now() - interval '1 hour' WHERE "tenant_id" = $1`,
      [tenantId],
    );
    storage.progress.record(0);
    await storage.status.runOnce();

    const run = await storage.relay.runOnce();
    const rerun = await storage.relay.runOnce();

    expect(run.failed).toBe(false);
    expect(rerun).toEqual({ published: 0, failed: false });
    expect(await outbox(tenantId)).toEqual([]);
    const published = await expectEventually(async () => {
      const messages = (await nats.streamMessages<HostEvent>('EVENTS')).filter(
        (event) => event.tenantId === tenantId,
      );
      expect(messages).toHaveLength(3);
      return messages;
    });
    expect(published.map((event) => [event.kind, event.hostId])).toEqual([
      ['registered', 'pub'],
      ['inventory', 'pub'],
      ['offline', 'pub'],
    ]);
    expect(published[1].data).toMatchObject({ inventory: { os: 'debian' } });
  });
});
