import { randomUUID } from 'node:crypto';

import type { RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { EscalationPolicySource } from '../shared/ports';
import { EscalationPoliciesModule } from './escalation-policies.module';
import { EscalationPoliciesRpc } from './escalation-policies.rpc';

type PolicyRequest = RequestOf<'rpc.alerting.escalationPolicies.create'>['policy'];

describe(EscalationPoliciesRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;
  let dataSource: DataSource;

  const seedChannel = async (tenantId: string): Promise<string> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "alerting"."channels" ("id", "tenant_id", "name", "type", "config", "created_by")
       VALUES ($1, $2, 'pager', 'email', '{"to": ["oncall@example.com"]}', 'seed')`,
      [id, tenantId],
    );
    return id;
  };

  const seedRuleUsing = async (tenantId: string, policyId: string, name: string): Promise<string> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "alerting"."rules" ("id", "tenant_id", "name", "kind", "definition", "created_by")
       VALUES ($1, $2, $3, 'host_offline', $4, 'seed')`,
      [id, tenantId, name, JSON.stringify({ kind: 'host_offline', name, escalationPolicyId: policyId })],
    );
    return id;
  };

  const policy = (channelIds: string[], overrides: Partial<PolicyRequest> = {}): PolicyRequest => ({
    name: 'Night shift',
    steps: [
      { afterMinutes: 0, channelIds },
      { afterMinutes: 15, channelIds },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [EscalationPoliciesModule],
    });
    dataSource = alerting.app.get(DataSource);
  });

  afterAll(async () => {
    await alerting?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('should create, get, update and delete a policy and serve it through EscalationPolicySource', async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);

    const created = await alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: editor,
      policy: policy([channelId]),
    });
    expect(created).toEqual({
      id: expect.any(String),
      tenantId: editor.tenantId,
      name: 'Night shift',
      description: '',
      steps: [
        { afterMinutes: 0, channelIds: [channelId] },
        { afterMinutes: 15, channelIds: [channelId] },
      ],
      repeat: 0,
      createdBy: editor.userId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.id;
    const source = alerting.app.get(EscalationPolicySource);
    expect(await source.find(editor.tenantId, id)).toEqual(created);
    expect(await source.find(randomUUID(), id)).toBeNull();

    const updated = await alerting.rpc.call('rpc.alerting.escalationPolicies.update', {
      actor: editor,
      id,
      changes: { repeat: 2, description: 'weekends too' },
    });
    expect(updated).toMatchObject({ id, repeat: 2, description: 'weekends too', name: 'Night shift' });
    expect(await alerting.rpc.call('rpc.alerting.escalationPolicies.get', { actor: editor, id })).toEqual(
      updated,
    );

    expect(await alerting.rpc.call('rpc.alerting.escalationPolicies.delete', { actor: editor, id })).toEqual({
      id,
      deleted: true,
    });
    const gone = await rpcFailure(
      alerting.rpc.call('rpc.alerting.escalationPolicies.get', { actor: editor, id }),
    );
    expect(gone.code).toBe('escalation_policy.not_found');
  });

  it('should page through the policies of the tenant only', async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const created = await alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
        actor: editor,
        policy: policy([channelId], { name: `policy ${index}` }),
      });
      ids.push(created.id);
    }

    const first = await alerting.rpc.call('rpc.alerting.escalationPolicies.list', {
      actor: editor,
      limit: 2,
    });
    expect(first.items.map((item) => item.id)).toEqual(ids.slice(0, 2));
    const second = await alerting.rpc.call('rpc.alerting.escalationPolicies.list', {
      actor: editor,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    const stranger = await alerting.rpc.call('rpc.alerting.escalationPolicies.list', {
      actor: actor('admin'),
    });
    expect(stranger.items).toEqual([]);
  });

  it("should refuse a step channel that is missing or another tenant's, naming the step", async () => {
    const editor = actor('editor');
    const own = await seedChannel(editor.tenantId);
    const foreign = await seedChannel(randomUUID());

    const failure = await rpcFailure(
      alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
        actor: editor,
        policy: {
          name: 'mixed',
          steps: [
            { afterMinutes: 0, channelIds: [own] },
            { afterMinutes: 10, channelIds: [own, foreign] },
          ],
        },
      }),
    );
    expect(failure.code).toBe('invalid_request');
    expect(failure.message).toBe(`steps.1.channelIds: channel ${foreign} was not found`);
  });

  it('should validate update changes as a whole policy', async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);
    const { id } = await alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: editor,
      policy: policy([channelId]),
    });
    const update = (changes: Record<string, unknown>) =>
      rpcFailure(alerting.rpc.call('rpc.alerting.escalationPolicies.update', { actor: editor, id, changes }));

    const unordered = await update({
      steps: [
        { afterMinutes: 30, channelIds: [channelId] },
        { afterMinutes: 5, channelIds: [channelId] },
      ],
    });
    expect(unordered.message).toBe('steps: steps must be in order of afterMinutes');
    expect((await update({ escalateTo: 'boss' })).message).toContain('escalateTo');
    expect((await update({ name: 'n'.repeat(201) })).message).toMatch(/^name: /);
    const missing = randomUUID();
    expect((await update({ steps: [{ afterMinutes: 0, channelIds: [missing] }] })).message).toBe(
      `steps.0.channelIds: channel ${missing} was not found`,
    );
  });

  it('should refuse to delete a policy a rule escalates with', async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);
    const { id } = await alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: editor,
      policy: policy([channelId]),
    });
    const ruleId = await seedRuleUsing(editor.tenantId, id, 'DB down');

    const failure = await rpcFailure(
      alerting.rpc.call('rpc.alerting.escalationPolicies.delete', { actor: editor, id }),
    );
    expect(failure.code).toBe('escalation_policy.in_use');
    expect(failure.message).toContain('"DB down"');
    expect(failure.details).toEqual({ ruleIds: [ruleId] });
    expect(
      await alerting.rpc.call('rpc.alerting.escalationPolicies.get', { actor: editor, id }),
    ).toMatchObject({ id });
  });

  it("should answer escalation_policy.not_found for another tenant's policy, and forbid observers to write", async () => {
    const editor = actor('editor');
    const channelId = await seedChannel(editor.tenantId);
    const { id } = await alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: editor,
      policy: policy([channelId]),
    });
    const stranger = actor('owner');
    for (const call of [
      () => alerting.rpc.call('rpc.alerting.escalationPolicies.get', { actor: stranger, id }),
      () =>
        alerting.rpc.call('rpc.alerting.escalationPolicies.update', {
          actor: stranger,
          id,
          changes: { repeat: 1 },
        }),
      () => alerting.rpc.call('rpc.alerting.escalationPolicies.delete', { actor: stranger, id }),
    ]) {
      expect((await rpcFailure(call())).code).toBe('escalation_policy.not_found');
    }

    const observer = actor('observer', editor.tenantId);
    for (const call of [
      () =>
        alerting.rpc.call('rpc.alerting.escalationPolicies.create', {
          actor: observer,
          policy: policy([channelId]),
        }),
      () =>
        alerting.rpc.call('rpc.alerting.escalationPolicies.update', {
          actor: observer,
          id,
          changes: { repeat: 1 },
        }),
      () => alerting.rpc.call('rpc.alerting.escalationPolicies.delete', { actor: observer, id }),
    ]) {
      expect((await rpcFailure(call())).code).toBe('forbidden');
    }
    expect(
      await alerting.rpc.call('rpc.alerting.escalationPolicies.get', { actor: observer, id }),
    ).toMatchObject({
      repeat: 0,
    });
  });
});
