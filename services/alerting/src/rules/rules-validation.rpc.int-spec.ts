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

describe(`${RulesRpc.name} validation`, () => {
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

  const seedPolicy = async (tenantId: string): Promise<string> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "alerting"."escalation_policies" ("id", "tenant_id", "name", "steps", "created_by")
       VALUES ($1, $2, 'on-call', '[]', 'seed')`,
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

  it.each([
    [
      threshold({ warning: 96, critical: 95 }),
      'warning: for ">" the warning level must not be above the critical level',
    ],
    [
      threshold({ operator: '<', warning: 10, critical: 20 }),
      'warning: for "<" the warning level must not be below the critical level',
    ],
    [threshold({ clear: 85 }), 'clear: the clear level must be at or below the lowest alerting level'],
    [
      threshold({ warning: null, critical: null }),
      'warning: a threshold rule needs a warning or a critical level',
    ],
  ])('should refuse a rule whose levels contradict each other (%#)', async (rule, message) => {
    const failure = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.create', { actor: actor('editor'), rule }),
    );
    expect(failure.code).toBe('invalid_request');
    expect(failure.message).toBe(message);
  });

  it('should refuse a channel or an escalation policy of another tenant as not found', async () => {
    const editor = actor('editor');
    const foreignChannel = await seedChannel(randomUUID());
    const ownChannel = await seedChannel(editor.tenantId);
    const foreignPolicy = await seedPolicy(randomUUID());

    const channel = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.create', {
        actor: editor,
        rule: threshold({ channelIds: [ownChannel, foreignChannel] }),
      }),
    );
    expect(channel.code).toBe('invalid_request');
    expect(channel.message).toBe(`channelIds: channel ${foreignChannel} was not found`);

    const policy = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.create', {
        actor: editor,
        rule: threshold({ escalationPolicyId: foreignPolicy }),
      }),
    );
    expect(policy.message).toBe(`escalationPolicyId: escalation policy ${foreignPolicy} was not found`);

    const ownPolicy = await seedPolicy(editor.tenantId);
    const rule = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: editor,
      rule: threshold({ escalationPolicyId: ownPolicy }),
    });
    expect(rule.escalationPolicyId).toBe(ownPolicy);
  });

  it('should refuse unknown fields and oversize names from the request and from update changes', async () => {
    const editor = actor('editor');
    const raw = await nats.requestRaw<{ ok: boolean; error: { code: string } }>(
      'rpc.alerting.rules.create',
      JSON.stringify({ actor: editor, rule: { ...threshold(), sneaky: true } }),
    );
    expect(raw).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const long = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.create', {
        actor: editor,
        rule: threshold({ name: 'x'.repeat(201) }),
      }),
    );
    expect(long.code).toBe('invalid_request');

    const { id } = await alerting.rpc.call('rpc.alerting.rules.create', { actor: editor, rule: threshold() });
    const unknown = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.update', { actor: editor, id, changes: { sneaky: true } }),
    );
    expect(unknown.code).toBe('invalid_request');
    expect(unknown.message).toContain('sneaky');
    const oversize = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.update', {
        actor: editor,
        id,
        changes: { name: 'x'.repeat(201) },
      }),
    );
    expect(oversize.code).toBe('invalid_request');
    expect(oversize.message).toMatch(/^name: /);
  });

  it('should re-validate the merged rule on update and refuse a change of kind', async () => {
    const editor = actor('editor');
    const { id } = await alerting.rpc.call('rpc.alerting.rules.create', { actor: editor, rule: threshold() });

    const flipped = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.update', { actor: editor, id, changes: { operator: '<' } }),
    );
    expect(flipped.message).toBe('warning: for "<" the warning level must not be below the critical level');
    const kind = await rpcFailure(
      alerting.rpc.call('rpc.alerting.rules.update', { actor: editor, id, changes: { kind: 'anomaly' } }),
    );
    expect(kind.code).toBe('invalid_request');
    expect(kind.message).toMatch(/^kind: a rule's kind cannot change/);
    const stored = await alerting.rpc.call('rpc.alerting.rules.get', { actor: editor, id });
    expect(stored).toMatchObject({ operator: '>', warning: 80, critical: 95 });
  });
});
