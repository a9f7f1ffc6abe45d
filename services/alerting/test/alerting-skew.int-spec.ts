import { AlertNotification, type TokenActor } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';
import type { Counter } from 'prom-client';

import { EvaluationMetrics } from '../src/evaluation/evaluation.metrics';
import { actor } from './alerting-test-app';
import { type HttpSink, startHttpSink } from './http-sink';
import { hostId, metricsReport, type Pipeline, startPipeline, WEBHOOK_SECRET } from './pipeline-harness';

const MAX_SKEW_SECONDS = 60;
const DAY = 86_400_000;

describe('alerting clock skew and late reports (end to end)', () => {
  let pipeline: Pipeline;
  let hook: HttpSink;

  beforeAll(async () => {
    hook = await startHttpSink({ secret: WEBHOOK_SECRET });
    pipeline = await startPipeline({ ALERTING_MAX_CLOCK_SKEW_SECONDS: String(MAX_SKEW_SECONDS) });
  });

  afterAll(async () => {
    await pipeline?.close();
    await hook?.close();
  });

  const counter = async (pick: (metrics: EvaluationMetrics) => Counter) =>
    (await pick(pipeline.alerting.app.get(EvaluationMetrics)).get()).values[0]?.value ?? 0;
  const skewed = () => counter((metrics) => metrics.skewedReports);
  const late = () => counter((metrics) => metrics.lateReports);

  /** A tenant with `cpu.usage_pct > 90` (critical, no hold time) notifying a signed webhook. */
  async function cpuRule(admin: TokenActor) {
    const { rpc } = pipeline.alerting;
    const channel = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'skew hook', type: 'webhook', config: { url: hook.url, secret: WEBHOOK_SECRET } },
    });
    const rule = await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'cpu high',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        critical: 90,
        channelIds: [channel.id],
      },
    });
    await pipeline.rulesLoaded(admin.tenantId, 1);
    return {
      rule,
      notifications: () =>
        hook.received
          .map((receipt) => AlertNotification.parse(receipt.body))
          .filter((notification) => notification.alert.rule.id === rule.id),
    };
  }

  const cpu = (value: number) => [{ name: 'cpu.usage_pct', value }];

  it('should evaluate a report stamped a day ahead at its receive time and resolve on the next normal report', async () => {
    const admin = actor('admin');
    const { notifications } = await cpuRule(admin);
    const host = hostId('web');
    const skewedBefore = await skewed();
    const receivedAt = new Date();

    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: host,
        time: new Date(receivedAt.getTime() + DAY),
        receivedAt,
        samples: cpu(97),
      }),
    );
    await expectEventually(() => expect(notifications().map((n) => n.type)).toEqual(['alert.firing']));
    expect(notifications()[0]!.alert.startedAt).toBe(receivedAt.toISOString());
    expect(await skewed()).toBe(skewedBefore + 1);

    // Had the future stamp become the host's newest report time, this one would count as late and change nothing.
    const next = new Date(receivedAt.getTime() + 1000);
    await pipeline.publish(
      metricsReport({ tenantId: admin.tenantId, hostId: host, time: next, samples: cpu(20) }),
    );
    await expectEventually(() =>
      expect(notifications().map((n) => n.type)).toEqual(['alert.firing', 'alert.resolved']),
    );
    expect(await skewed()).toBe(skewedBefore + 1);
  });

  it('should evaluate a report stamped a day behind at its receive time instead of treating it as late', async () => {
    const admin = actor('admin');
    const { notifications } = await cpuRule(admin);
    const host = hostId('web');
    const [skewedBefore, lateBefore] = [await skewed(), await late()];
    const first = new Date(Date.now() - 10_000);
    await pipeline.publish(
      metricsReport({ tenantId: admin.tenantId, hostId: host, time: first, samples: cpu(30) }),
    );

    const receivedAt = new Date(first.getTime() + 5000);
    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: host,
        time: new Date(receivedAt.getTime() - DAY),
        receivedAt,
        samples: cpu(95),
      }),
    );

    await expectEventually(() => expect(notifications().map((n) => n.type)).toEqual(['alert.firing']));
    expect(notifications()[0]!.alert.startedAt).toBe(receivedAt.toISOString());
    expect(await skewed()).toBe(skewedBefore + 1);
    expect(await late()).toBe(lateBefore);
  });

  it('should not let a report older than the host’s newest one open or resolve an alert', async () => {
    const admin = actor('admin');
    const { rpc } = pipeline.alerting;
    const { notifications } = await cpuRule(admin);
    const host = hostId('web');
    const lateBefore = await late();
    const start = Date.now() - 30_000;
    const at = (seconds: number) => new Date(start + seconds * 1000);
    const publish = (seconds: number, value: number) =>
      pipeline.publish(
        metricsReport({ tenantId: admin.tenantId, hostId: host, time: at(seconds), samples: cpu(value) }),
      );

    await publish(10, 20);
    await publish(5, 99);
    await expectEventually(async () => expect(await late()).toBe(lateBefore + 1));
    expect((await rpc.call('rpc.alerting.alerts.list', { actor: admin })).items).toEqual([]);

    await publish(12, 96);
    await expectEventually(() => expect(notifications().map((n) => n.type)).toEqual(['alert.firing']));
    const alertId = notifications()[0]!.alert.id;
    // Within the allowed skew, the report's own time is kept: the alert started when the sample was taken.
    expect(notifications()[0]!.alert.startedAt).toBe(at(12).toISOString());

    await publish(11, 10);
    await expectEventually(async () => expect(await late()).toBe(lateBefore + 2));
    const stillOpen = await rpc.call('rpc.alerting.alerts.get', { actor: admin, id: alertId });
    expect(stillOpen).toMatchObject({ state: 'firing', value: 96 });
    expect(stillOpen.deliveries.map((delivery) => delivery.kind)).toEqual(['firing']);

    await publish(13, 10);
    await expectEventually(() =>
      expect(notifications().map((n) => n.type)).toEqual(['alert.firing', 'alert.resolved']),
    );
    expect(await late()).toBe(lateBefore + 2);
  });
});
