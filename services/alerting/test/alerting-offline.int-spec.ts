import { AlertNotification } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { actor } from './alerting-test-app';
import { type HttpSink, startHttpSink } from './http-sink';
import { hostId, metricsReport, type Pipeline, startPipeline, WEBHOOK_SECRET } from './pipeline-harness';

const AFTER_SECONDS = 5;

describe('alerting host offline (end to end)', () => {
  let pipeline: Pipeline;
  let hook: HttpSink;

  beforeAll(async () => {
    hook = await startHttpSink({ secret: WEBHOOK_SECRET });
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.close();
    await hook?.close();
  });

  it('should notify once when a host stops reporting for afterSeconds and once more when it reports again', async () => {
    const admin = actor('admin');
    const { rpc } = pipeline.alerting;
    const channel = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'offline hook', type: 'webhook', config: { url: hook.url, secret: WEBHOOK_SECRET } },
    });
    const rule = await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'host gone',
        kind: 'host_offline',
        afterSeconds: AFTER_SECONDS,
        severity: 'critical',
        scope: { hostIds: [], tags: ['prod'] },
        channelIds: [channel.id],
      },
    });
    await pipeline.rulesLoaded(admin.tenantId, 1);
    const host = hostId('db');
    const ours = () =>
      hook.received
        .map((receipt) => AlertNotification.parse(receipt.body))
        .filter((notification) => notification.alert.rule.id === rule.id);

    const lastReport = new Date();
    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: host,
        time: lastReport,
        samples: [{ name: 'cpu.usage_pct', value: 12 }],
      }),
    );

    const [firing] = await expectEventually(
      () => {
        expect(ours()).toHaveLength(1);
        return ours();
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(firing).toMatchObject({
      type: 'alert.firing',
      tenantId: admin.tenantId,
      alert: {
        state: 'firing',
        severity: 'critical',
        rule: { kind: 'host_offline', name: 'host gone' },
        host: { id: host },
        metric: null,
      },
    });
    const silentFor = Date.parse(firing!.time) - lastReport.getTime();
    expect(silentFor).toBeGreaterThanOrEqual(AFTER_SECONDS * 1000);
    expect(silentFor).toBeLessThan((AFTER_SECONDS + 5) * 1000);
    expect(firing!.alert.explanation).toMatchObject({ thresholdSeconds: AFTER_SECONDS });
    expect(hook.received.every((receipt) => receipt.signatureValid)).toBe(true);

    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: host,
        time: new Date(),
        samples: [{ name: 'cpu.usage_pct', value: 13 }],
      }),
    );
    await expectEventually(() =>
      expect(ours().map((notification) => notification.type)).toEqual(['alert.firing', 'alert.resolved']),
    );
    const resolved = ours()[1]!;
    expect(resolved.alert).toMatchObject({
      id: firing!.alert.id,
      state: 'resolved',
      previousState: 'firing',
    });

    const detail = await rpc.call('rpc.alerting.alerts.get', { actor: admin, id: firing!.alert.id });
    expect(detail.state).toBe('resolved');
    expect(detail.transitions.map((transition) => transition.toState)).toEqual(['firing', 'resolved']);
    expect(detail.deliveries.map((delivery) => [delivery.kind, delivery.status]).sort()).toEqual([
      ['firing', 'delivered'],
      ['resolved', 'delivered'],
    ]);
  }, 45_000);

  it('should leave a host outside the rule scope alone when it goes silent', async () => {
    const admin = actor('admin');
    const { rpc } = pipeline.alerting;
    const channel = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'offline hook', type: 'webhook', config: { url: hook.url, secret: WEBHOOK_SECRET } },
    });
    const rule = await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'prod host gone',
        kind: 'host_offline',
        afterSeconds: AFTER_SECONDS,
        scope: { hostIds: [], tags: ['prod'] },
        channelIds: [channel.id],
      },
    });
    await pipeline.rulesLoaded(admin.tenantId, 1);
    const inScope = hostId('prod');
    const outOfScope = hostId('lab');
    const now = new Date();
    // The host out of scope fell silent a second earlier: by the time the other fires, a sweep saw it past the limit.
    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: outOfScope,
        time: new Date(now.getTime() - 1000),
        tags: ['lab'],
        samples: [{ name: 'cpu.usage_pct', value: 1 }],
      }),
    );
    await pipeline.publish(
      metricsReport({
        tenantId: admin.tenantId,
        hostId: inScope,
        time: now,
        samples: [{ name: 'cpu.usage_pct', value: 1 }],
      }),
    );

    await expectEventually(
      () =>
        expect(
          hook.received.some(
            (receipt) => (receipt.body.alert as { rule: { id: string } }).rule.id === rule.id,
          ),
        ).toBe(true),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const { items } = await rpc.call('rpc.alerting.alerts.list', { actor: admin });
    expect(items.map((alert) => alert.hostId)).toEqual([inScope]);
  }, 45_000);
});
