import type { RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { type DeliveryHarness, startDeliveryHarness } from '../delivery/testing/delivery-harness';
import { startHttpReceiver } from '../delivery/testing/receivers';
import { ChannelsService } from './channels.service';

type ChannelInput = RequestOf<'rpc.alerting.channels.create'>['channel'];

const SECRET = 'whsec-0123456789-abcdef-SECRET';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXSLCK';

describe(`${ChannelsService.name} validation`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: DeliveryHarness<AlertingTestApp>;

  const webhook = (overrides: Partial<ChannelInput> = {}): ChannelInput =>
    ({
      name: 'ops hook',
      type: 'webhook',
      config: { url: 'https://93.184.215.14/hook', secret: SECRET },
      ...overrides,
    }) as ChannelInput;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    harness = await startDeliveryHarness(startAlertingTestApp, {
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: { OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'false' },
    });
  });

  afterAll(async () => {
    await harness?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should refuse loopback, private, link-local and non-http URLs with channel.unsafe_url', async () => {
    const editor = actor('editor');
    const unsafe = [
      'http://127.0.0.1/hook',
      'http://localhost:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://192.168.1.10/hook',
      'http://100.64.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ];
    for (const url of unsafe) {
      const error = await rpcFailure(
        harness.rpc.call('rpc.alerting.channels.create', {
          actor: editor,
          channel: webhook({ config: { url, secret: SECRET } } as Partial<ChannelInput>),
        }),
      );
      expect({ url, code: error.code }).toEqual({ url, code: 'channel.unsafe_url' });
    }
    const slack = await rpcFailure(
      harness.rpc.call('rpc.alerting.channels.create', {
        actor: editor,
        channel: { name: 's', type: 'slack', config: { webhookUrl: 'http://169.254.169.254/' } },
      }),
    );
    expect(slack.code).toBe('channel.unsafe_url');
    // The contract itself admits http(s) URLs only, so a file: URL never reaches the service on create.
    const file = await rpcFailure(
      harness.rpc.call('rpc.alerting.channels.create', {
        actor: editor,
        channel: webhook({ config: { url: 'file:///etc/passwd', secret: SECRET } } as Partial<ChannelInput>),
      }),
    );
    expect(file.code).toBe('invalid_request');

    const hook = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    for (const url of [
      'file:///etc/passwd',
      'gopher://127.0.0.1:25/',
      'data:text/plain,hi',
      'http://127.0.0.1/',
    ]) {
      const error = await rpcFailure(
        harness.rpc.call('rpc.alerting.channels.update', {
          actor: editor,
          id: hook.id,
          changes: { config: { url } },
        }),
      );
      expect({ url, code: error.code }).toEqual({ url, code: 'channel.unsafe_url' });
    }
    const unchanged = await harness.rpc.call('rpc.alerting.channels.get', { actor: editor, id: hook.id });
    expect(unchanged.config.url).toBe('https://93.184.215.14/hook');
  });

  it('should refuse at send time a URL whose host became private after it was saved', async () => {
    const editor = actor('editor');
    const loopback = await startHttpReceiver();
    try {
      const hook = await harness.rpc.call('rpc.alerting.channels.create', {
        actor: editor,
        channel: webhook(),
      });
      await harness.dataSource.query(
        `UPDATE "alerting"."channels" SET "config" = jsonb_set("config", '{url}', to_jsonb($2::text)) WHERE "id" = $1`,
        [hook.id, loopback.url.replace('127.0.0.1', 'localhost')],
      );

      const result = await harness.rpc.call('rpc.alerting.channels.test', { actor: editor, id: hook.id });

      expect(result).toMatchObject({ delivered: false, statusCode: null });
      expect(result.error).toMatch(/^unsafe destination: localhost resolves to/);
      expect(loopback.received).toEqual([]);
    } finally {
      await loopback.close();
    }
  });

  it('should answer invalid_request for malformed, oversized, unknown-field and type-changing input', async () => {
    const editor = actor('editor');
    const create = (channel: unknown) =>
      rpcFailure(
        harness.rpc.call('rpc.alerting.channels.create', { actor: editor, channel: channel as ChannelInput }),
      );
    const refused = [
      await create({ name: 'x', type: 'slack', config: {} }),
      await create({
        name: 'x',
        type: 'webhook',
        config: { url: 'https://93.184.215.14/', secret: 'short' },
      }),
      await create({ name: 'x', type: 'slack', config: { webhookUrl: SLACK_URL, extra: 1 } }),
      await create({ name: 'x'.repeat(300), type: 'slack', config: { webhookUrl: SLACK_URL } }),
      await create({
        name: 'x',
        type: 'email',
        config: { to: Array.from({ length: 51 }, (_, i) => `u${i}@x.io`) },
      }),
      await create({ name: 'x', type: 'pagerduty', config: { routingKey: 'not a key!' } }),
      await create({ name: 'x', type: 'sms', config: {} }),
    ];
    expect(refused.map((error) => error.code)).toEqual(Array(refused.length).fill('invalid_request'));

    const hook = await harness.rpc.call('rpc.alerting.channels.create', {
      actor: editor,
      channel: webhook(),
    });
    const update = (changes: Record<string, unknown>) =>
      rpcFailure(harness.rpc.call('rpc.alerting.channels.update', { actor: editor, id: hook.id, changes }));
    const updates = [
      await update({ type: 'slack' }),
      await update({ config: { unknown: true } }),
      await update({ surprise: 1 }),
      await update({ config: { secret: 'x'.repeat(600) } }),
      await update({ config: 'not an object' }),
      await update({ rateLimitPerMinute: 0 }),
      await update({ config: { url: 'not a url' } }),
    ];
    expect(updates.map((error) => error.code)).toEqual(Array(updates.length).fill('invalid_request'));
    expect(updates[0]!.message).toContain('type');
  });
});
