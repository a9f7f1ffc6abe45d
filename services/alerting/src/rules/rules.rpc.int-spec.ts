import { randomUUID } from 'node:crypto';

import type { RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { ConfigChanges, type ConfigChange } from '../shared/config-changes';
import { RuleSource } from '../shared/ports';
import { RulesModule } from './rules.module';
import { RulesRpc } from './rules.rpc';

type RuleRequest = RequestOf<'rpc.alerting.rules.create'>['rule'];

const threshold = (overrides: Partial<Extract<RuleRequest, { kind: 'threshold' }>> = {}): RuleRequest => ({
  kind: 'threshold',
  name: 'CPU high',
  metric: 'cpu.usage_pct',
  operator: '>',
  warning: 80,
  critical: 95,
  ...overrides,
});

describe(RulesRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;
  let dataSource: DataSource;

  const seedChannel = async (tenantId: string): Promise<string> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "alerting"."channels" ("id", "tenant_id", "name", "type", "config", "created_by")
       VALUES ($1, $2, 'ops mail', 'email', '{"to": ["ops@example.com"]}', 'seed')`,
      [id, tenantId],
    );
    return id;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [RulesModule],
    });
    dataSource = alerting.app.get(DataSource);
  });

  afterAll(async () => {
    await alerting?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('should create, get, update and delete a rule with defaults filled in', async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);

    const created = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: editor,
      rule: threshold({ channelIds: [channelId], labels: { cpu: 'total' } }),
    });

    expect(created).toEqual({
      id: expect.any(String),
      tenantId: editor.tenantId,
      kind: 'threshold',
      name: 'CPU high',
      description: '',
      enabled: true,
      scope: { hostIds: [], tags: [] },
      channelIds: [channelId],
      escalationPolicyId: null,
      metric: 'cpu.usage_pct',
      labels: { cpu: 'total' },
      operator: '>',
      warning: 80,
      critical: 95,
      clear: null,
      forSeconds: 0,
      createdBy: editor.userId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.id;
    expect(
      await alerting.rpc.call('rpc.alerting.rules.get', { actor: actor('observer', editor.tenantId), id }),
    ).toEqual(created);

    const updated = await alerting.rpc.call('rpc.alerting.rules.update', {
      actor: editor,
      id,
      changes: { critical: 99, clear: 70, enabled: false },
    });
    expect(updated).toMatchObject({
      id,
      warning: 80,
      critical: 99,
      clear: 70,
      enabled: false,
      name: 'CPU high',
    });

    expect(await alerting.rpc.call('rpc.alerting.rules.delete', { actor: editor, id })).toEqual({
      id,
      deleted: true,
    });
    const missing = await rpcFailure(alerting.rpc.call('rpc.alerting.rules.get', { actor: editor, id }));
    expect(missing.code).toBe('rule.not_found');
  });

  it('should page through every rule once in creation order and filter by kind and enabled', async () => {
    const editor = actor('editor');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const rule = await alerting.rpc.call('rpc.alerting.rules.create', {
        actor: editor,
        rule:
          index === 3
            ? { kind: 'host_offline', name: `offline ${index}` }
            : threshold({ name: `rule ${index}`, enabled: index !== 1 }),
      });
      ids.push(rule.id);
    }
    await alerting.rpc.call('rpc.alerting.rules.create', { actor: actor('editor'), rule: threshold() });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await alerting.rpc.call('rpc.alerting.rules.list', { actor: editor, limit: 2, cursor });
      seen.push(...page.items.map((rule) => rule.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);

    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const offline = await alerting.rpc.call('rpc.alerting.rules.list', {
      actor: editor,
      kind: 'host_offline',
    });
    expect(offline.items.map((rule) => rule.id)).toEqual([ids[3]]);
    const disabled = await alerting.rpc.call('rpc.alerting.rules.list', { actor: editor, enabled: false });
    expect(disabled.items.map((rule) => rule.id)).toEqual([ids[1]]);
  });

  it('should refuse a cursor it did not hand out', async () => {
    const failure = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.list', { actor: actor('editor'), cursor: 'not-a-cursor' }),
    );
    expect(failure.code).toBe('invalid_request');
  });

  it("should answer rule.not_found for another tenant's rule and leave it untouched", async () => {
    const owner = actor('editor');
    const { id } = await alerting.rpc.call('rpc.alerting.rules.create', { actor: owner, rule: threshold() });
    const stranger = actor('owner');

    const calls = [
      () => alerting.rpc.call('rpc.alerting.rules.get', { actor: stranger, id }),
      () =>
        alerting.rpc.call('rpc.alerting.rules.update', {
          actor: stranger,
          id,
          changes: { name: 'mine now' },
        }),
      () => alerting.rpc.call('rpc.alerting.rules.delete', { actor: stranger, id }),
    ];
    for (const call of calls) {
      const failure = await rpcFailure(call());
      expect(failure.code).toBe('rule.not_found');
      expect(failure.details).toBeUndefined();
    }
    const listed = await alerting.rpc.call('rpc.alerting.rules.list', { actor: stranger });
    expect(listed.items).toEqual([]);
    expect(await alerting.rpc.call('rpc.alerting.rules.get', { actor: owner, id })).toMatchObject({
      name: 'CPU high',
    });
  });

  it('should let an observer read but not write', async () => {
    const editor = actor('editor');
    const observer = actor('observer', editor.tenantId);
    const { id } = await alerting.rpc.call('rpc.alerting.rules.create', { actor: editor, rule: threshold() });

    expect((await alerting.rpc.call('rpc.alerting.rules.list', { actor: observer })).items).toHaveLength(1);
    const writes = [
      () => alerting.rpc.call('rpc.alerting.rules.create', { actor: observer, rule: threshold() }),
      () =>
        alerting.rpc.call('rpc.alerting.rules.update', { actor: observer, id, changes: { enabled: false } }),
      () => alerting.rpc.call('rpc.alerting.rules.delete', { actor: observer, id }),
    ];
    for (const write of writes) expect((await rpcFailure(write())).code).toBe('forbidden');
  });

  it('should announce each change and serve enabled rules through RuleSource', async () => {
    const editor = actor('editor');
    const seen: ConfigChange[] = [];
    const stop = alerting.app.get(ConfigChanges).on((change) => seen.push(change));
    const source = alerting.app.get(RuleSource);

    const kept = await alerting.rpc.call('rpc.alerting.rules.create', { actor: editor, rule: threshold() });
    const off = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: editor,
      rule: threshold({ name: 'off', enabled: false }),
    });
    await alerting.rpc.call('rpc.alerting.rules.update', {
      actor: editor,
      id: off.id,
      changes: { name: 'still off' },
    });
    stop();

    expect(seen.filter((change) => change.tenantId === editor.tenantId)).toEqual([
      { kind: 'rules', tenantId: editor.tenantId },
      { kind: 'rules', tenantId: editor.tenantId },
      { kind: 'rules', tenantId: editor.tenantId },
    ]);
    expect((await source.enabledRulesOf(editor.tenantId)).map((rule) => rule.id)).toEqual([kept.id]);
    await expectEventually(async () => {
      const every = await source.enabledRules();
      expect(every.map((rule) => rule.id)).toContain(kept.id);
      expect(every.map((rule) => rule.id)).not.toContain(off.id);
    });
  });
});
