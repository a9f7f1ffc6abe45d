import { randomUUID } from 'node:crypto';

import { AuditEvent, HostEvent } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type FleetApp, rpcFailure, startFleetApp } from '../queries/testing/fleet-test-app';
import { HostsRpc } from './hosts.rpc';

describe(`${HostsRpc.name} update`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let fleet: FleetApp;

  const outbox = (hostId: string): Promise<{ msg_id: string; payload: unknown }[]> =>
    fleet.dataSource.query(
      `SELECT "msg_id", "payload" FROM "ingest"."event_outbox" WHERE "payload" ->> 'hostId' = $1 ORDER BY "id"`,
      [hostId],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    fleet = await startFleetApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await fleet?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should answer host.not_found for another tenant host exactly as for a missing one', async () => {
    const owner = randomUUID();
    const host = await fleet.seed.host({ tenantId: owner, name: 'secret' });
    const stranger = randomUUID();

    const foreign = await rpcFailure(
      fleet.rpc.call('rpc.ingest.hosts.get', { tenantId: stranger, hostId: host.hostId }),
    );
    const missing = await rpcFailure(
      fleet.rpc.call('rpc.ingest.hosts.get', { tenantId: stranger, hostId: 'no-such-host' }),
    );
    const update = await rpcFailure(
      fleet.rpc.call('rpc.ingest.hosts.update', {
        actor: actor('owner', stranger),
        hostId: host.hostId,
        tags: ['mine'],
      }),
    );

    expect(foreign.code).toBe('host.not_found');
    expect(missing.code).toBe('host.not_found');
    expect(update.code).toBe('host.not_found');
    expect(foreign.message.replace(host.hostId, 'X')).toBe(missing.message.replace('no-such-host', 'X'));
    const unchanged = await fleet.rpc.call('rpc.ingest.hosts.get', { tenantId: owner, hostId: host.hostId });
    expect(unchanged.editableTags).toEqual([]);
    expect(await outbox(host.hostId)).toEqual([]);
  });

  it('should store trimmed unique tags, an updated event and an audit record when an editor edits a host', async () => {
    const editor = actor('editor');
    const host = await fleet.seed.host({
      tenantId: editor.tenantId,
      name: 'web-03',
      reportedTags: ['nginx'],
    });
    const [{ updated_at: before }] = await fleet.dataSource.query(
      `SELECT "updated_at" FROM "ingest"."hosts" WHERE "key" = $1`,
      [host.key],
    );

    const reply = await fleet.rpc.call('rpc.ingest.hosts.update', {
      actor: editor,
      hostId: host.hostId,
      description: 'public web',
      tags: [' prod ', 'prod', 'eu', '   ', 'nginx'],
    });

    expect(reply).toMatchObject({
      description: 'public web',
      editableTags: ['prod', 'eu', 'nginx'],
      tags: ['prod', 'eu', 'nginx'],
    });
    const [{ updated_at: after }] = await fleet.dataSource.query(
      `SELECT "updated_at" FROM "ingest"."hosts" WHERE "key" = $1`,
      [host.key],
    );
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    const [row] = await outbox(host.hostId);
    expect(row.msg_id).toBe(`host:${editor.tenantId}:${host.hostId}:updated:${after.getTime()}`);
    expect(HostEvent.parse(row.payload)).toMatchObject({
      id: row.msg_id,
      tenantId: editor.tenantId,
      hostId: host.hostId,
      hostName: 'web-03',
      kind: 'updated',
      time: after.toISOString(),
      data: { description: 'public web', tags: ['prod', 'eu', 'nginx'], reportedTags: ['nginx'] },
    });
    const audit = await expectEventually(async () => {
      const events = (await nats.streamMessages<AuditEvent>('AUDIT')).filter(
        (event) => event.tenantId === editor.tenantId,
      );
      expect(events).toHaveLength(1);
      return events[0];
    });
    expect(audit).toMatchObject({
      service: 'ingest',
      actor: { type: 'user', id: editor.userId },
      action: 'host.updated',
      target: { type: 'host', id: host.hostId },
      data: { description: 'public web', tags: ['prod', 'eu', 'nginx'] },
    });
  });

  it('should give two quick updates distinct event ids', async () => {
    const admin = actor('admin');
    const host = await fleet.seed.host({ tenantId: admin.tenantId });

    await fleet.rpc.call('rpc.ingest.hosts.update', { actor: admin, hostId: host.hostId, tags: ['a'] });
    await fleet.rpc.call('rpc.ingest.hosts.update', { actor: admin, hostId: host.hostId, tags: ['b'] });

    const rows = await outbox(host.hostId);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.msg_id)).size).toBe(2);
  });

  it('should refuse an update by an observer and change nothing', async () => {
    const observer = actor('observer');
    const host = await fleet.seed.host({ tenantId: observer.tenantId, description: 'kept' });

    const error = await rpcFailure(
      fleet.rpc.call('rpc.ingest.hosts.update', { actor: observer, hostId: host.hostId, description: 'x' }),
    );

    expect(error.code).toBe('forbidden');
    const detail = await fleet.rpc.call('rpc.ingest.hosts.get', {
      tenantId: observer.tenantId,
      hostId: host.hostId,
    });
    expect(detail.description).toBe('kept');
    expect(await outbox(host.hostId)).toEqual([]);
  });
});
