import { createHmac } from 'node:crypto';

import { AlertNotification, type RequestOf, type TokenActor } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, startAlertingTestApp } from '../../../test/alerting-test-app';
import { type DeliveryHarness, startDeliveryHarness } from '../../delivery/testing/delivery-harness';
import {
  deliveryState,
  enqueue,
  anomalyAlert,
  firingNotification,
} from '../../delivery/testing/notifications';
import {
  decodedMail,
  type HttpReceiver,
  type SmtpSink,
  startHttpReceiver,
  startSmtpSink,
} from '../../delivery/testing/receivers';
import { DeliveryWaker } from '../../shared/ports';
import { PagerDutyEvent } from '../../delivery/testing/pagerduty-event.schema';
import { ChannelSenders } from './channel-senders';

type ChannelInput = RequestOf<'rpc.alerting.channels.create'>['channel'];

const CONSOLE = 'https://optralis.example.com';
const SECRET = 'senders-test-secret-0001';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

describe(ChannelSenders.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: DeliveryHarness<AlertingTestApp>;
  let sink: SmtpSink;
  let pagerDuty: HttpReceiver;
  const receivers: HttpReceiver[] = [];

  const receiver = async (status = 200, body = '') => {
    const started = await startHttpReceiver(() => ({ status, body }));
    receivers.push(started);
    return started;
  };

  const channel = async (owner: TokenActor, input: Omit<ChannelInput, 'name'>) =>
    (
      await harness.rpc.call('rpc.alerting.channels.create', {
        actor: owner,
        channel: { name: `${input.type} channel`, ...input } as ChannelInput,
      })
    ).id;

  const deliver = async (channelId: string, notifications: AlertNotification[]) => {
    const ids = await enqueue(
      harness.dataSource,
      notifications.map((notification) => ({ channelId, notification })),
    );
    harness.app.get(DeliveryWaker).wake();
    return expectEventually(async () => {
      const states = await Promise.all(ids.map((id) => deliveryState(harness.dataSource, id)));
      expect(states.map((state) => state.status)).toEqual(ids.map(() => 'delivered'));
      return states;
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    sink = await startSmtpSink();
    pagerDuty = await startHttpReceiver(() => ({
      status: 202,
      body: '{"status":"success","message":"Event processed"}',
    }));
    harness = await startDeliveryHarness(startAlertingTestApp, {
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: {
        ALERTING_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        ALERTING_SMTP_FROM: 'alerts@optralis.test',
        ALERTING_PAGERDUTY_EVENTS_URL: pagerDuty.url.replace('/hook', '/v2/enqueue'),
        ALERTING_CONSOLE_URL: CONSOLE,
        ALERTING_DELIVERY_TIMEOUT_MS: '2000',
      },
    });
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all([...receivers, pagerDuty].map((started) => started.close()));
    await sink.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should post the notification itself to a webhook, signed so the receiver can verify it', async () => {
    const owner = actor('editor');
    const target = await receiver();
    const channelId = await channel(owner, { type: 'webhook', config: { url: target.url, secret: SECRET } });
    const notification = firingNotification(owner.tenantId, { alert: anomalyAlert });

    const [state] = await deliver(channelId, [notification]);

    const [request] = target.received;
    const timestamp = String(request!.headers['x-optralis-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request!.raw}`).digest('hex');
    expect(request!.headers['x-optralis-signature']).toBe(`sha256=${expected}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Optralis/0.0.0-test',
      'x-optralis-delivery': state!.id,
    });
    const body = AlertNotification.parse(request!.json);
    expect(body).toEqual({ ...notification, deliveryId: state!.id });
    expect(body.alert).toMatchObject({
      id: notification.alert.id,
      state: 'firing',
      severity: 'warning',
      rule: { name: 'latency anomaly' },
      host: { name: 'web-01' },
      value: 850,
      explanation: { mean: 120, sigma: 40, z: 18.25 },
    });
  });

  it('should send PagerDuty Events API v2 events that trigger, acknowledge and resolve one incident', async () => {
    const owner = actor('editor');
    const channelId = await channel(owner, { type: 'pagerduty', config: { routingKey: ROUTING_KEY } });
    const firing = firingNotification(owner.tenantId);
    const later = (type: AlertNotification['type'], state: AlertNotification['alert']['state']) => ({
      ...firing,
      type,
      alert: { ...firing.alert, state, acknowledgedBy: type === 'alert.acknowledged' ? 'alice' : null },
    });

    const states = await deliver(channelId, [
      firing,
      later('alert.acknowledged', 'acknowledged'),
      later('alert.resolved', 'resolved'),
    ]);

    expect(states.map((state) => state.last_status_code)).toEqual([202, 202, 202]);
    const events = pagerDuty.received
      .filter((request) => request.json.dedup_key === firing.alert.id)
      .map((request) => {
        expect(request.path).toBe('/v2/enqueue');
        expect(request.headers['content-type']).toBe('application/json');
        return PagerDutyEvent.parse(request.json);
      });
    expect(events.map((event) => event.event_action).sort()).toEqual(['acknowledge', 'resolve', 'trigger']);
    const trigger = events.find((event) => event.event_action === 'trigger')!;
    expect(trigger).toMatchObject({
      routing_key: ROUTING_KEY,
      client: 'Optralis',
      client_url: `${CONSOLE}/alerts/${firing.alert.id}`,
      payload: {
        summary: 'CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min',
        source: 'web-01',
        severity: 'critical',
        component: 'cpu.usage_pct',
        group: 'cpu high',
        class: 'threshold',
      },
    });
  });

  it('should send Slack a coloured attachment with the summary and facts', async () => {
    const owner = actor('editor');
    const slack = await receiver(200, 'ok');
    const channelId = await channel(owner, { type: 'slack', config: { webhookUrl: slack.url } });
    const notification = firingNotification(owner.tenantId);

    await deliver(channelId, [notification]);

    const body = slack.received[0]!.json as {
      text: string;
      attachments: {
        color: string;
        blocks: { type: string; text?: { type: string; text: string }; fields?: unknown[] }[];
      }[];
    };
    expect(slack.received[0]!.headers['content-type']).toBe('application/json');
    expect(body.text).toBe('CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min');
    expect(body.attachments[0]!.color).toBe('#D92D20');
    const [summary, facts] = body.attachments[0]!.blocks;
    expect(summary).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(summary!.text!.text).toContain(`<${CONSOLE}/alerts/${notification.alert.id}|Open in Optralis>`);
    expect(facts!.type).toBe('section');
    expect(facts!.fields).toContainEqual({ type: 'mrkdwn', text: '*Threshold*\nabove 90 for 2 min' });
  });

  it('should send Teams a MessageCard and Discord an embed within its limits', async () => {
    const owner = actor('editor');
    const teams = await receiver(200, '1');
    const discord = await receiver(204);
    const teamsChannel = await channel(owner, { type: 'teams', config: { webhookUrl: teams.url } });
    const discordChannel = await channel(owner, { type: 'discord', config: { webhookUrl: discord.url } });
    const long = firingNotification(owner.tenantId, {
      alert: { summary: `disk almost full ${'!'.repeat(5000)}` },
    });

    await deliver(teamsChannel, [firingNotification(owner.tenantId)]);
    const [discordState] = await deliver(discordChannel, [long]);

    expect(teams.received[0]!.json).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      themeColor: 'D92D20',
      summary: 'CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min',
      sections: [{ facts: expect.arrayContaining([{ name: 'Host', value: 'web-01' }]) }],
      potentialAction: [
        { '@type': 'OpenUri', targets: [{ os: 'default', uri: expect.stringContaining(CONSOLE) }] },
      ],
    });
    expect(discordState!.last_status_code).toBe(204);
    const message = discord.received[0]!.json as {
      content: string;
      allowed_mentions: unknown;
      embeds: { title: string; description: string; color: number; fields: unknown[] }[];
    };
    expect(message.content.length).toBeLessThanOrEqual(2000);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds[0]!.title).toBe('CRITICAL — cpu high on web-01');
    expect(message.embeds[0]!.description.length).toBeLessThanOrEqual(4096);
    expect(message.embeds[0]!.description).toMatch(/^disk almost full !+…$/);
    expect(message.embeds[0]!.color).toBe(0xd92d20);
  });

  it('should mail a subject with prefix, severity, state, rule and host and a plain-words body', async () => {
    const owner = actor('editor');
    const channelId = await channel(owner, {
      type: 'email',
      config: { to: [`ops-${owner.tenantId}@example.com`], subjectPrefix: '[Acme]' },
    });

    await deliver(channelId, [firingNotification(owner.tenantId)]);

    const mail = sink.messages.find((message) => message.to.includes(`ops-${owner.tenantId}@example.com`))!;
    expect(mail.from).toBe('alerts@optralis.test');
    expect(mail.raw).toContain('Subject: [Acme] CRITICAL FIRING: cpu high on web-01');
    const body = decodedMail(mail.raw);
    expect(body).toContain('CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min');
    expect(body).toContain('Threshold: above 90 for 2 min');
    expect(body).toContain(`${CONSOLE}/alerts/`);
  });

  it('should test a channel at once, outside the outbox, and report what the endpoint answered', async () => {
    const owner = actor('editor');
    const healthy = await receiver();
    const broken = await receiver(500, 'upstream down');
    const good = await channel(owner, { type: 'webhook', config: { url: healthy.url, secret: SECRET } });
    const bad = await channel(owner, { type: 'slack', config: { webhookUrl: broken.url } });

    const passed = await harness.rpc.call('rpc.alerting.channels.test', { actor: owner, id: good });
    const failed = await harness.rpc.call('rpc.alerting.channels.test', { actor: owner, id: bad });

    expect(passed).toMatchObject({ delivered: true, statusCode: 200, error: null });
    expect(passed.durationMs).toBeGreaterThanOrEqual(0);
    expect(failed).toMatchObject({ delivered: false, statusCode: 500, error: 'HTTP 500: upstream down' });
    const sent = AlertNotification.parse(healthy.received[0]!.json);
    expect(sent).toMatchObject({ type: 'test', tenantId: owner.tenantId, alert: { severity: 'info' } });
    const [{ count }]: [{ count: number }] = await harness.dataSource.query(
      `SELECT count(*)::int AS "count" FROM "alerting"."deliveries" WHERE "tenant_id" = $1`,
      [owner.tenantId],
    );
    expect(count).toBe(0);
  });
});
