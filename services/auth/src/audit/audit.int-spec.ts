import { randomUUID } from 'node:crypto';

import { JetStreamPublisher } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  factory,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, startTokensApp, type TokensApp } from '../../test/tokens-app';
import { AuditJournalConsumer } from './audit.consumer';
import { AuditService } from './audit.service';

describe(AuditJournalConsumer.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let auth: TokensApp;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    auth = await startTokensApp({ databaseUrl: database.url, namespace: nats.namespace });
    publisher = auth.app.get(JetStreamPublisher);
  });

  afterAll(async () => {
    await auth?.close();
    await nats.cleanup();
    await database.drop();
  });

  async function journaled(tenantId: string, expected: number) {
    return expectEventually(async () => {
      const rows = await auth.dataSource.query(
        `SELECT "id", "seq"::text AS "seq", "action" FROM "auth"."audit_log" WHERE "tenant_id" = $1 ORDER BY "audit_log"."seq"`,
        [tenantId],
      );
      expect(rows).toHaveLength(expected);
      return rows as { id: string; seq: string; action: string }[];
    });
  }

  async function publishEvents(tenantId: string, count: number) {
    const events = Array.from({ length: count }, (_, index) =>
      factory.auditEvent({ tenantId, action: `test.step_${index}` }),
    );
    for (const event of events) await publisher.publish('audit.recorded', event, { msgId: event.id });
    return journaled(tenantId, count);
  }

  /** What a database superuser can do despite the append-only trigger. */
  async function tamper(sql: string, parameters: unknown[]) {
    await auth.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(sql, parameters);
    });
  }

  const verify = (tenantId: string) => auth.rpc.call('rpc.auth.audit.verify', { tenantId });

  it('should journal a message once when it is delivered twice', async () => {
    const tenantId = randomUUID();
    const event = factory.auditEvent({ tenantId, action: 'user.login' });
    const sentinel = factory.auditEvent({ tenantId, action: 'sentinel' });
    await publisher.publish('audit.recorded', event, { msgId: event.id });
    await publisher.publish('audit.recorded', event, { msgId: `${event.id}-redelivered` });
    await publisher.publish('audit.recorded', sentinel, { msgId: sentinel.id });

    const rows = await journaled(tenantId, 2);
    expect(rows.map((row) => row.id).sort()).toEqual([event.id, sentinel.id].sort());
    await expect(verify(tenantId)).resolves.toEqual({ ok: true, checked: 2 });
  });

  it('should dead-letter a message when it is not an audit event', async () => {
    const tenantId = randomUUID();
    await nats.publishRaw(`audit.${tenantId}.auth`, JSON.stringify({ id: 'x', tenantId, action: 7 }));
    const [letter] = await expectEventually(async () => {
      const letters = await nats.deadLetters('AUDIT');
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({ kind: 'invalid', consumer: 'auth-audit-journal' });
    await journaled(tenantId, 0);
  });

  it('should refuse UPDATE and DELETE on the journal when the trigger is in place', async () => {
    const tenantId = randomUUID();
    const [row] = await publishEvents(tenantId, 1);
    await expect(
      auth.dataSource.query(`UPDATE "auth"."audit_log" SET "action" = 'x' WHERE "id" = $1`, [row.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      auth.dataSource.query(`DELETE FROM "auth"."audit_log" WHERE "id" = $1`, [row.id]),
    ).rejects.toThrow(/append-only/);
  });

  it('should report the edited row when a row was altered in SQL', async () => {
    const tenantId = randomUUID();
    const rows = await publishEvents(tenantId, 4);
    await tamper(`UPDATE "auth"."audit_log" SET "data" = '{"amended": true}' WHERE "id" = $1`, [rows[2].id]);
    await expect(verify(tenantId)).resolves.toEqual({
      ok: false,
      checked: 2,
      brokenAt: { seq: Number(rows[2].seq), reason: 'the row was altered' },
    });
  });

  it('should report the following row when a row in the middle was deleted', async () => {
    const tenantId = randomUUID();
    const rows = await publishEvents(tenantId, 4);
    await tamper(`DELETE FROM "auth"."audit_log" WHERE "id" = $1`, [rows[1].id]);
    await expect(verify(tenantId)).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: Number(rows[2].seq) },
    });
  });

  it('should report the end of the chain when the last row was deleted', async () => {
    const tenantId = randomUUID();
    const rows = await publishEvents(tenantId, 3);
    await tamper(`DELETE FROM "auth"."audit_log" WHERE "id" = $1`, [rows[2].id]);
    await expect(verify(tenantId)).resolves.toMatchObject({
      ok: false,
      checked: 2,
      brokenAt: { seq: Number(rows[2].seq), reason: 'rows are missing at the end of the chain' },
    });
  });

  it('should report a break when two rows were swapped in order', async () => {
    const tenantId = randomUUID();
    const rows = await publishEvents(tenantId, 4);
    const swap = `UPDATE "auth"."audit_log" SET "seq" = $2 WHERE "id" = $1`;
    await tamper(swap, [rows[1].id, -1]);
    await tamper(swap, [rows[2].id, rows[1].seq]);
    await tamper(swap, [rows[1].id, rows[2].seq]);
    const report = await verify(tenantId);
    expect(report).toMatchObject({ ok: false, checked: 1, brokenAt: { seq: Number(rows[1].seq) } });
  });

  it('should keep one valid chain per tenant when many appends run at once', async () => {
    const tenantId = randomUUID();
    const service = auth.app.get(AuditService);
    const events = Array.from({ length: 60 }, (_, index) =>
      factory.auditEvent({ tenantId, action: `burst.${index}` }),
    );
    const results = await Promise.all(
      [...events, ...events.slice(0, 10)].map((event) => service.append(event)),
    );
    expect(results.filter((result) => result === 'appended')).toHaveLength(60);
    await expect(verify(tenantId)).resolves.toEqual({ ok: true, checked: 60 });
  });

  it('should journal token creation and revocation and page through them with filters', async () => {
    const admin = actor('owner');
    const created = await auth.rpc.call('rpc.auth.apiTokens.create', {
      actor: admin,
      name: 'ci',
      role: 'admin',
    });
    await auth.rpc.call('rpc.auth.apiTokens.revoke', { actor: admin, id: created.id });
    await journaled(admin.tenantId, 2);

    const firstPage = await auth.rpc.call('rpc.auth.audit.list', { actor: admin, limit: 1 });
    expect(firstPage.items.map((item) => item.action)).toEqual(['api_token.revoked']);
    expect(firstPage.items[0]).toMatchObject({
      actor: { type: 'user', id: admin.userId },
      target: { id: created.id },
    });
    const secondPage = await auth.rpc.call('rpc.auth.audit.list', {
      actor: admin,
      limit: 1,
      cursor: firstPage.nextCursor!,
    });
    expect(secondPage).toMatchObject({ items: [{ action: 'api_token.created' }], nextCursor: null });

    const filtered = await auth.rpc.call('rpc.auth.audit.list', {
      actor: admin,
      filter: {
        action: 'api_token.created',
        actor: { id: admin.userId },
        from: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(filtered.items).toHaveLength(1);
    const future = await auth.rpc.call('rpc.auth.audit.list', {
      actor: admin,
      filter: { from: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(future.items).toEqual([]);
    await expect(
      auth.rpc.call('rpc.auth.audit.verify', { tenantId: admin.tenantId, actor: admin }),
    ).resolves.toEqual({ ok: true, checked: 2 });
  });

  it('should refuse another tenant’s journal and observers when they ask', async () => {
    const admin = actor('admin');
    const other = randomUUID();
    await expect(
      auth.rpc.call('rpc.auth.audit.verify', { tenantId: other, actor: admin }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(auth.rpc.call('rpc.auth.audit.list', { actor: actor('observer') })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      auth.rpc.call('rpc.auth.audit.list', { actor: admin, limit: 100_000 }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
