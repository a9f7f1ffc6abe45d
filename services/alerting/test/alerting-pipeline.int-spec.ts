import { randomUUID } from 'node:crypto';

import type { MetricsReport } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { AlertsModule } from '../src/alerts/alerts.module';
import { ChannelsModule } from '../src/channels/channels.module';
import { DeliveryModule } from '../src/delivery/delivery.module';
import { EscalationPoliciesModule } from '../src/escalation/escalation-policies.module';
import { EvaluationModule } from '../src/evaluation/evaluation.module';
import { EvaluationService } from '../src/evaluation/evaluation.service';
import { RuleIndex } from '../src/evaluation/rule-index.service';
import { MaintenanceModule } from '../src/maintenance/maintenance.module';
import { RulesModule } from '../src/rules/rules.module';
import { SettingsModule } from '../src/settings/settings.module';
import { actor, type AlertingTestApp, startAlertingTestApp } from './alerting-test-app';
import { startSmtpSink, startWebhookReceiver } from './notification-sinks';

const SECRET = 'a-webhook-secret-of-some-length';

describe('alerting pipeline', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  const publish = async (report: MetricsReport) => {
    await alerting.app.get(JetStreamPublisher).publish('metrics.report', report, { msgId: report.id });
  };
  const report = (tenantId: string, hostId: string, time: Date, samples: MetricsReport['samples']) => ({
    id: randomUUID(),
    tenantId,
    hostId,
    hostName: `host-${hostId.slice(0, 4)}`,
    source: 'agent' as const,
    time: time.toISOString(),
    receivedAt: time.toISOString(),
    tags: ['prod'],
    samples,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    webhook = await startWebhookReceiver(SECRET);
    smtp = await startSmtpSink();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: { ALERTING_CHECKPOINT_SECONDS: '1' },
      modules: [
        SettingsModule,
        RulesModule,
        MaintenanceModule,
        EscalationPoliciesModule,
        ChannelsModule,
        DeliveryModule,
        AlertsModule,
        EvaluationModule,
      ],
    });
    await expectEventually(() => expect(alerting.app.get(EvaluationService).partitions()).toHaveLength(8));
  });

  afterAll(async () => {
    await alerting?.close();
    await webhook?.close();
    await smtp?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should notify a real SMTP sink and a signed webhook when a sample stays over its level for the rule duration', async () => {
    const admin = actor('admin');
    const tenantId = admin.tenantId;
    await alerting.rpc.call('rpc.alerting.settings.update', {
      actor: admin,
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        username: null,
        from: 'alerts@optralis.test',
      },
    });
    const email = await alerting.rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'ops mail', type: 'email', config: { to: ['ops@example.com'] } },
    });
    const hook = await alerting.rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'ops hook', type: 'webhook', config: { url: webhook.url, secret: SECRET } },
    });
    const rule = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'cpu high',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        warning: 80,
        critical: 90,
        forSeconds: 20,
        channelIds: [email.id, hook.id],
      },
    });
    await expectEventually(() => expect(alerting.app.get(RuleIndex).of(tenantId)?.byMetric.size).toBe(1));
    const hostId = `web-${randomUUID().slice(0, 8)}`;
    const start = Date.now() - 60_000;
    for (const [offset, value] of [
      [0, 40],
      [10, 95],
      [20, 96],
      [30, 97],
    ] as const) {
      await publish(
        report(tenantId, hostId, new Date(start + offset * 1000), [{ name: 'cpu.usage_pct', value }]),
      );
    }

    await expectEventually(() => expect(webhook.received.some((hit) => hit.body.alert.host)).toBe(true), {
      timeoutMs: 15_000,
    });
    const [delivered] = webhook.received.filter(
      (hit) => (hit.body.alert as { rule: { id: string } }).rule.id === rule.id,
    );
    expect(delivered?.signatureValid).toBe(true);
    expect(delivered?.body).toMatchObject({
      type: 'alert.firing',
      tenantId,
      alert: {
        state: 'firing',
        severity: 'critical',
        value: 97,
        host: { id: hostId },
        rule: { name: 'cpu high' },
      },
    });
    expect(String(delivered?.body.alert.summary)).toContain('above the critical level 90');
    await expectEventually(() => expect(smtp.messages.length).toBeGreaterThan(0), { timeoutMs: 15_000 });
    expect(smtp.messages[0]!.to).toEqual(['ops@example.com']);
    expect(smtp.messages[0]!.raw).toContain('cpu high');

    const { items } = await alerting.rpc.call('rpc.alerting.alerts.list', { actor: admin, open: true });
    expect(items).toEqual([
      expect.objectContaining({ ruleId: rule.id, hostId, state: 'firing', severity: 'critical' }),
    ]);
    const foreign = await alerting.rpc.call('rpc.alerting.alerts.list', { actor: actor('admin') });
    expect(foreign.items).toEqual([]);

    await publish(report(tenantId, hostId, new Date(start + 40_000), [{ name: 'cpu.usage_pct', value: 20 }]));
    await expectEventually(() =>
      expect(webhook.received.filter((hit) => hit.body.type === 'alert.resolved')).toHaveLength(1),
    );
  });

  it('should fire a host-offline alert for a host it never saw when ingest reports it offline', async () => {
    const admin = actor('admin');
    const hook = await alerting.rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'presence', type: 'webhook', config: { url: webhook.url, secret: SECRET } },
    });
    const rule = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: { name: 'host down', kind: 'host_offline', afterSeconds: 60, channelIds: [hook.id] },
    });
    await expectEventually(() =>
      expect(alerting.app.get(RuleIndex).of(admin.tenantId)?.offline).toHaveLength(1),
    );
    const hostId = `db-${randomUUID().slice(0, 8)}`;
    const lastSeen = new Date(Date.now() - 300_000).toISOString();
    const event = (id: string, seen: string) => ({
      id,
      tenantId: admin.tenantId,
      hostId,
      hostName: 'db-primary',
      kind: 'offline' as const,
      time: new Date().toISOString(),
      data: { lastSeen: seen, intervalSeconds: 10 },
    });
    // A garbage last-seen time first: it must change nothing.
    await alerting.app
      .get(JetStreamPublisher)
      .publish('host.event', event(randomUUID(), 'not a time'), { msgId: randomUUID() });
    await alerting.app
      .get(JetStreamPublisher)
      .publish('host.event', event(randomUUID(), lastSeen), { msgId: randomUUID() });

    const ours = () =>
      webhook.received.filter((hit) => (hit.body.alert as { rule: { id: string } }).rule.id === rule.id);
    await expectEventually(() => expect(ours()).toHaveLength(1), { timeoutMs: 15_000 });
    expect(ours()[0]!.body).toMatchObject({
      type: 'alert.firing',
      alert: { state: 'firing', host: { id: hostId, name: 'db-primary' } },
    });
    expect(String(ours()[0]!.body.alert.summary)).toContain('db-primary');
    const foreign = await alerting.rpc.call('rpc.alerting.alerts.list', {
      actor: actor('admin'),
      open: true,
    });
    expect(foreign.items).toEqual([]);

    await publish(report(admin.tenantId, hostId, new Date(), [{ name: 'cpu.usage_pct', value: 5 }]));
    await expectEventually(() =>
      expect(ours().filter((hit) => hit.body.type === 'alert.resolved')).toHaveLength(1),
    );
  });

  it('should fire an explained anomaly alert on a spike and stay quiet on the noise before it', async () => {
    const admin = actor('admin');
    const hook = await alerting.rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'anomalies', type: 'webhook', config: { url: webhook.url, secret: SECRET } },
    });
    const rule = await alerting.rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'latency anomaly',
        kind: 'anomaly',
        metric: 'http.latency_ms',
        zWarning: 4,
        zCritical: 6,
        alpha: 0.1,
        warmupSamples: 20,
        channelIds: [hook.id],
      },
    });
    await expectEventually(() =>
      expect(alerting.app.get(RuleIndex).of(admin.tenantId)?.byMetric.size).toBe(1),
    );
    const hostId = `api-${randomUUID().slice(0, 8)}`;
    const start = Date.now() - 120_000;
    const noise = [0.3, -0.5, 0.8, -0.2, 0.1, -0.9, 0.6, 0.4, -0.3, 0.2];
    for (let index = 0; index < 40; index++) {
      const value = 100 + noise[index % noise.length]! * 5;
      await publish(
        report(admin.tenantId, hostId, new Date(start + index * 1000), [{ name: 'http.latency_ms', value }]),
      );
    }
    await publish(
      report(admin.tenantId, hostId, new Date(start + 41_000), [{ name: 'http.latency_ms', value: 400 }]),
    );

    const ours = () =>
      webhook.received.filter((hit) => (hit.body.alert as { rule: { id: string } }).rule.id === rule.id);
    await expectEventually(() => expect(ours()).toHaveLength(1), { timeoutMs: 15_000 });
    const explanation = ours()[0]!.body.alert.explanation as Record<string, number>;
    expect(explanation.value).toBe(400);
    expect(explanation.mean).toBeCloseTo(100, -1);
    expect(explanation.z).toBeGreaterThan(6);
    expect(explanation.alpha).toBe(0.1);
    expect(String(ours()[0]!.body.alert.summary)).toMatch(/σ above its usual/);
  });
});
