import { randomUUID } from 'node:crypto';

import type { AuditEvent, RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { type DeliveryHarness, startDeliveryHarness } from '../delivery/testing/delivery-harness';
import { ConfigChanges, type ConfigChange } from '../shared/config-changes';
import { SecretBox } from '../shared/secret-box';
import { ChannelsRpc } from './channels.rpc';

type ChannelInput = RequestOf<'rpc.alerting.channels.create'>['channel'];

const SECRET = 'whsec-0123456789-abcdef-SECRET';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXSLCK';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdPDKY';

describe(ChannelsRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: DeliveryHarness<AlertingTestApp>;
  const changes: ConfigChange[] = [];

  const webhook = (overrides: Partial<ChannelInput> = {}): ChannelInput =>
    ({
      name: 'ops hook',
      type: 'webhook',
      config: { url: 'https://93.184.215.14/hook', secret: SECRET },
      ...overrides,
    }) as ChannelInput;

  const stored = async (id: string) => {
    const [row]: { config: Record<string, unknown>; sealed_secrets: string | null }[] =
      await harness.dataSource.query(
        `SELECT "config", "sealed_secrets" FROM "alerting"."channels" WHERE "id" = $1`,
        [id],
      );
    return row!;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    harness = await startDeliveryHarness(startAlertingTestApp, {
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: { OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'false' },
    });
    harness.app.get(ConfigChanges).on((change) => changes.push(change));
  });

  afterAll(async () => {
    await harness?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should mask secrets in every reply and keep them sealed in the table when channels are created', async () => {
    const editor = actor('editor');

    const hook = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    const slack = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: { name: 'slack', type: 'slack', config: { webhookUrl: SLACK_URL } },
    });
    const pager = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: { name: 'pd', type: 'pagerduty', config: { routingKey: ROUTING_KEY } },
    });

    expect(hook).toMatchObject({
      tenantId: editor.tenantId,
      type: 'webhook',
      enabled: true,
      rateLimitPerMinute: 60,
      sendResolved: true,
      createdBy: editor.userId,
      config: { url: 'https://93.184.215.14/hook', secret: '••••CRET' },
    });
    expect(slack.config).toEqual({ webhookUrl: '••••SLCK' });
    expect(pager.config).toEqual({ routingKey: '••••PDKY' });
    const fetched = await harness.rpc.call('rpc.alerting.channels.get', { actor: editor, id: hook.id });
    const { items } = await harness.rpc.call('rpc.alerting.channels.list', {
      actor: actor('observer', editor.tenantId),
    });
    expect(fetched.config.secret).toBe('••••CRET');
    expect(JSON.stringify(items)).not.toContain(SECRET);
    expect(JSON.stringify(items)).not.toContain(SLACK_URL);
    expect(JSON.stringify(items)).not.toContain(ROUTING_KEY);
    for (const [channel, field, secret] of [
      [hook, 'secret', SECRET],
      [slack, 'webhookUrl', SLACK_URL],
      [pager, 'routingKey', ROUTING_KEY],
    ] as const) {
      const row = await stored(channel.id);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(row.config).not.toHaveProperty(field);
      expect(JSON.parse(harness.app.get(SecretBox).open(row.sealed_secrets!, channel.id))).toEqual({
        [field]: secret,
      });
    }
    expect(changes).toContainEqual({ kind: 'channels', tenantId: editor.tenantId });
    const audit = await expectEventually(async () => {
      const events = (await nats.streamMessages<AuditEvent>('AUDIT')).filter(
        (event) => event.tenantId === editor.tenantId && event.action === 'channel.created',
      );
      expect(events).toHaveLength(3);
      return events;
    });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]).toMatchObject({ service: 'alerting', target: { type: 'channel', id: hook.id } });
  });

  it('should keep a secret that an update leaves out or sends back masked, and replace one it sets', async () => {
    const editor = actor('editor');
    const hook = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    const secretOf = async () =>
      JSON.parse(harness.app.get(SecretBox).open((await stored(hook.id)).sealed_secrets!, hook.id)).secret;

    const renamed = await harness.rpc.call('rpc.alerting.channels.update', {
      actor: editor,
      id: hook.id,
      changes: { name: 'renamed', rateLimitPerMinute: 5, config: { url: 'https://93.184.215.14/other' } },
    });
    expect(renamed).toMatchObject({
      name: 'renamed',
      rateLimitPerMinute: 5,
      config: { url: 'https://93.184.215.14/other', secret: '••••CRET' },
    });
    expect(await secretOf()).toBe(SECRET);

    await harness.rpc.call('rpc.alerting.channels.update', {
      actor: editor,
      id: hook.id,
      changes: { config: { ...renamed.config } },
    });
    expect(await secretOf()).toBe(SECRET);

    const replaced = await harness.rpc.call('rpc.alerting.channels.update', {
      actor: editor,
      id: hook.id,
      changes: { config: { secret: 'a-brand-new-secret-value-NEW1' } },
    });
    expect(replaced.config.secret).toBe('••••NEW1');
    expect(await secretOf()).toBe('a-brand-new-secret-value-NEW1');
    expect(JSON.stringify(await stored(hook.id))).not.toContain('a-brand-new-secret-value');
  });

  it('should answer channel.not_found for another tenant channel on every call', async () => {
    const owner = actor('admin');
    const hook = await harness.rpc.call('rpc.alerting.channels.create', { actor: owner, channel: webhook() });
    const stranger = actor('owner');

    const calls = [
      () => harness.rpc.call('rpc.alerting.channels.get', { actor: stranger, id: hook.id }),
      () =>
        harness.rpc.call('rpc.alerting.channels.update', {
          actor: stranger,
          id: hook.id,
          changes: { name: 'mine' },
        }),
      () => harness.rpc.call('rpc.alerting.channels.delete', { actor: stranger, id: hook.id }),
      () => harness.rpc.call('rpc.alerting.channels.test', { actor: stranger, id: hook.id }),
      () => harness.rpc.call('rpc.alerting.channels.get', { actor: owner, id: randomUUID() }),
    ];
    for (const call of calls) expect((await rpcFailure(call())).code).toBe('channel.not_found');
    const { items } = await harness.rpc.call('rpc.alerting.channels.list', { actor: stranger });
    expect(items).toEqual([]);
    expect((await harness.rpc.call('rpc.alerting.channels.get', { actor: owner, id: hook.id })).name).toBe(
      'ops hook',
    );
  });

  it('should let an observer read but refuse its writes and tests with forbidden', async () => {
    const editor = actor('editor');
    const observer = actor('observer', editor.tenantId);
    const hook = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });

    const writes = [
      () => harness.rpc.call('rpc.alerting.channels.create', { actor: observer, channel: webhook() }),
      () =>
        harness.rpc.call('rpc.alerting.channels.update', {
          actor: observer,
          id: hook.id,
          changes: { name: 'x' },
        }),
      () => harness.rpc.call('rpc.alerting.channels.delete', { actor: observer, id: hook.id }),
      () => harness.rpc.call('rpc.alerting.channels.test', { actor: observer, id: hook.id }),
    ];
    for (const write of writes) expect((await rpcFailure(write())).code).toBe('forbidden');
    expect((await harness.rpc.call('rpc.alerting.channels.get', { actor: observer, id: hook.id })).name).toBe(
      'ops hook',
    );
    expect((await harness.rpc.call('rpc.alerting.channels.list', { actor: observer })).items).toHaveLength(1);
  });

  it('should refuse to delete a channel a rule or an escalation step uses, and delete it once unused', async () => {
    const editor = actor('editor');
    const byRule = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    const byPolicy = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    const ruleId = randomUUID();
    await harness.dataSource.query(
      `INSERT INTO "alerting"."rules" ("id", "tenant_id", "name", "kind", "metric", "definition", "created_by")
       VALUES ($1, $2, 'cpu', 'threshold', 'cpu.usage_pct', $3, 'test')`,
      [ruleId, editor.tenantId, JSON.stringify({ name: 'cpu', channelIds: [randomUUID(), byRule.id] })],
    );
    const policyId = randomUUID();
    await harness.dataSource.query(
      `INSERT INTO "alerting"."escalation_policies" ("id", "tenant_id", "name", "steps", "created_by")
       VALUES ($1, $2, 'night', $3, 'test')`,
      [
        policyId,
        editor.tenantId,
        JSON.stringify([
          { afterMinutes: 0, channelIds: [randomUUID()] },
          { afterMinutes: 15, channelIds: [byPolicy.id] },
        ]),
      ],
    );

    for (const channel of [byRule, byPolicy]) {
      const error = await rpcFailure(
        harness.rpc.call('rpc.alerting.channels.delete', { actor: editor, id: channel.id }),
      );
      expect(error.code).toBe('channel.in_use');
    }
    await harness.dataSource.query(`DELETE FROM "alerting"."rules" WHERE "id" = $1`, [ruleId]);
    await harness.dataSource.query(`DELETE FROM "alerting"."escalation_policies" WHERE "id" = $1`, [
      policyId,
    ]);

    for (const channel of [byRule, byPolicy]) {
      expect(
        await harness.rpc.call('rpc.alerting.channels.delete', { actor: editor, id: channel.id }),
      ).toEqual({
        id: channel.id,
        deleted: true,
      });
      const gone = await rpcFailure(
        harness.rpc.call('rpc.alerting.channels.get', { actor: editor, id: channel.id }),
      );
      expect(gone.code).toBe('channel.not_found');
    }
  });

  it('should page the tenant channels in creation order and filter them by type', async () => {
    const editor = actor('editor');
    const created = [];
    for (const name of ['a', 'b', 'c']) {
      created.push(
        await harness.rpc.call('rpc.alerting.channels.create', { actor: editor, channel: webhook({ name }) }),
      );
    }
    await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: { name: 'mail', type: 'email', config: { to: ['ops@example.com'] } },
    });

    const first = await harness.rpc.call('rpc.alerting.channels.list', {
      actor: editor,
      type: 'webhook',
      limit: 2,
    });
    const second = await harness.rpc.call('rpc.alerting.channels.list', {
      actor: editor,
      type: 'webhook',
      limit: 2,
      cursor: first.nextCursor!,
    });
    const all = await harness.rpc.call('rpc.alerting.channels.list', { actor: editor });

    expect(first.items.map((channel) => channel.name)).toEqual(['a', 'b']);
    expect(second).toMatchObject({ items: [{ id: created[2]!.id }], nextCursor: null });
    expect(all.items.map((channel) => channel.type)).toEqual(['webhook', 'webhook', 'webhook', 'email']);
    expect(all.items[3]!.config).toEqual({ to: ['ops@example.com'], subjectPrefix: '[Optralis]' });
  });
});
