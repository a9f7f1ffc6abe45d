import { randomUUID } from 'node:crypto';

import { type TokenActor } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';
import { z } from 'zod';

import { actor } from './alerting-test-app';
import { type HttpSink, startHttpSink } from './http-sink';
import { hostId, metricsReport, type Pipeline, startPipeline } from './pipeline-harness';

/**
 * The PagerDuty Events API v2 alert event ("Send an Alert Event", developer.pagerduty.com): a 32-character
 * routing key, a dedup key of at most 255 characters, and a payload that trigger events must carry.
 */
const Link = z.object({ href: z.url(), text: z.string().optional() }).strict();
const Image = z.object({ src: z.url(), href: z.url().optional(), alt: z.string().optional() }).strict();
const Payload = z
  .object({
    summary: z.string().min(1).max(1024),
    source: z.string().min(1),
    severity: z.enum(['critical', 'error', 'warning', 'info']),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    component: z.string().optional(),
    group: z.string().optional(),
    class: z.string().optional(),
    custom_details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const Common = {
  routing_key: z.string().regex(/^[A-Za-z0-9]{32}$/),
  dedup_key: z.string().min(1).max(255),
  client: z.string().optional(),
  client_url: z.url().optional(),
  links: z.array(Link).optional(),
  images: z.array(Image).optional(),
};
const PagerDutyEvent = z.discriminatedUnion('event_action', [
  z.object({ ...Common, event_action: z.literal('trigger'), payload: Payload }).strict(),
  z.object({ ...Common, event_action: z.literal('acknowledge'), payload: Payload.optional() }).strict(),
  z.object({ ...Common, event_action: z.literal('resolve'), payload: Payload.optional() }).strict(),
]);
type PagerDutyEvent = z.infer<typeof PagerDutyEvent>;

const CONSOLE_URL = 'https://optralis.example.com';

describe('alerting PagerDuty channel (end to end)', () => {
  let pipeline: Pipeline;
  let events: HttpSink;

  beforeAll(async () => {
    events = await startHttpSink({
      status: 202,
      reply: '{"status":"success","message":"Event processed"}',
    });
    pipeline = await startPipeline({
      ALERTING_PAGERDUTY_EVENTS_URL: `${events.url}/v2/enqueue`,
      ALERTING_CONSOLE_URL: CONSOLE_URL,
    });
  });

  afterAll(async () => {
    await pipeline?.close();
    await events?.close();
  });

  async function pagerDutyRule(
    admin: TokenActor,
    rule: { name?: string; warning?: number; critical?: number },
  ) {
    const { rpc } = pipeline.alerting;
    // A 32-character integration key of the tenant's own, so each test finds its events by it.
    const routingKey = randomUUID().replaceAll('-', '');
    const channel = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'pd', type: 'pagerduty', config: { routingKey } },
    });
    const created = await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'disk full',
        kind: 'threshold',
        metric: 'disk.used_pct',
        operator: '>',
        ...rule,
        channelIds: [channel.id],
      },
    });
    await pipeline.rulesLoaded(admin.tenantId, 1);
    return { rule: created, routingKey };
  }

  /** Every event posted with a routing key, each checked against the Events API v2 schema. */
  const eventsOf = (routingKey: string): PagerDutyEvent[] =>
    events.received
      .filter((receipt) => receipt.body.routing_key === routingKey)
      .map((receipt) => {
        expect(receipt.path).toBe('/v2/enqueue');
        expect(receipt.headers['content-type']).toMatch(/^application\/json/);
        return PagerDutyEvent.parse(receipt.body);
      });

  it('should trigger, acknowledge and resolve one PagerDuty alert through the pipeline', async () => {
    const admin = actor('admin');
    const { rule, routingKey } = await pagerDutyRule(admin, { critical: 95 });
    const host = hostId('store');
    const start = Date.now() - 30_000;
    const publish = (offset: number, value: number) =>
      pipeline.publish(
        metricsReport({
          tenantId: admin.tenantId,
          hostId: host,
          hostName: 'storage-01',
          time: new Date(start + offset * 1000),
          samples: [{ name: 'disk.used_pct', value, labels: { mount: '/var' } }],
        }),
      );

    await publish(0, 97);
    const [trigger] = await expectEventually(() => {
      expect(eventsOf(routingKey).map((event) => event.event_action)).toEqual(['trigger']);
      return eventsOf(routingKey);
    });
    const { items } = await pipeline.alerting.rpc.call('rpc.alerting.alerts.list', {
      actor: admin,
      open: true,
    });
    const alertId = items[0]!.id;
    expect(trigger).toMatchObject({
      routing_key: routingKey,
      dedup_key: alertId,
      client: 'Optralis',
      client_url: `${CONSOLE_URL}/alerts/${alertId}`,
      payload: {
        source: 'storage-01',
        severity: 'critical',
        component: 'disk.used_pct',
        group: 'disk full',
        class: 'threshold',
        custom_details: { ruleId: rule.id, state: 'firing', value: 97, labels: { mount: '/var' } },
      },
    });
    expect(trigger!.payload!.summary).toContain('disk full on storage-01');

    await pipeline.alerting.rpc.call('rpc.alerting.alerts.ack', { actor: admin, id: alertId });
    await expectEventually(() =>
      expect(eventsOf(routingKey).map((event) => event.event_action)).toEqual(['trigger', 'acknowledge']),
    );

    await publish(1, 40);
    await expectEventually(() =>
      expect(eventsOf(routingKey).map((event) => event.event_action)).toEqual([
        'trigger',
        'acknowledge',
        'resolve',
      ]),
    );
    const all = eventsOf(routingKey);
    expect(new Set(all.map((event) => event.dedup_key))).toEqual(new Set([alertId]));
    expect(new Set(all.map((event) => event.routing_key))).toEqual(new Set([routingKey]));
    const deliveries = (
      await pipeline.alerting.rpc.call('rpc.alerting.alerts.get', { actor: admin, id: alertId })
    ).deliveries;
    expect(
      deliveries.map((delivery) => [delivery.kind, delivery.status, delivery.lastStatusCode]).sort(),
    ).toEqual([
      ['acknowledged', 'delivered', 202],
      ['firing', 'delivered', 202],
      ['resolved', 'delivered', 202],
    ]);
  });

  it('should keep events within the Events API limits when names and the acknowledgement note are long', async () => {
    const admin = actor('admin');
    const { routingKey } = await pagerDutyRule(admin, {
      name: `disk full ${'r'.repeat(190)}`,
      warning: 80,
      critical: 95,
    });
    const host = hostId('store');
    const start = Date.now() - 30_000;
    const publish = (offset: number, value: number) =>
      pipeline.publish(
        metricsReport({
          tenantId: admin.tenantId,
          hostId: host,
          hostName: `storage-${'x'.repeat(240)}`,
          time: new Date(start + offset * 1000),
          samples: [{ name: 'disk.used_pct', value, labels: { mount: `/${'m'.repeat(1000)}` } }],
        }),
      );

    await publish(0, 85);
    const [trigger] = await expectEventually(() => {
      expect(eventsOf(routingKey)).toHaveLength(1);
      return eventsOf(routingKey);
    });
    expect(trigger).toMatchObject({ event_action: 'trigger', payload: { severity: 'warning' } });

    // The note lands in the alert's summary (up to 2,000 characters), which the acknowledge event carries.
    await pipeline.alerting.rpc.call('rpc.alerting.alerts.ack', {
      actor: admin,
      id: trigger!.dedup_key,
      note: 'n'.repeat(2000),
    });
    await publish(1, 10);
    await expectEventually(() =>
      expect(eventsOf(routingKey).map((event) => event.event_action)).toEqual([
        'trigger',
        'acknowledge',
        'resolve',
      ]),
    );
    const acknowledge = eventsOf(routingKey)[1]!;
    expect([...acknowledge.payload!.summary]).toHaveLength(1024);
    expect(acknowledge.payload!.summary.endsWith('…')).toBe(true);
  });
});
