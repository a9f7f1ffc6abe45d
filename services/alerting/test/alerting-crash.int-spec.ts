import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { AlertNotification, partitionOf } from '@optralis/contracts';
import { JetStreamPublisher, NatsConnectionService, type NatsOptions, RpcClient } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';
import { Client } from 'pg';

import { actor, TEST_SECRET_KEY } from './alerting-test-app';
import { type HttpReceipt, type HttpSink, startHttpSink } from './http-sink';
import { startSmtpSink } from './notification-sinks';
import { hostId, metricsReport, WEBHOOK_SECRET } from './pipeline-harness';

const CHECKPOINT_SECONDS = 2;
const LATENCY = 'http.latency_ms';

/** The sum of a Prometheus metric's samples (every label set) in a `/metrics` text. */
function metricValue(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
    total += Number(match[1]);
  return total;
}

/**
 * The built service as a real process, SIGKILLed while a notification is on the wire and started again:
 * the outbox and the replay guard must still tell every channel exactly once per transition.
 */
describe('alerting after kill -9 (real process)', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let sql: Client;
  let hook: HttpSink;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let connection: NatsConnectionService;
  let rpc: RpcClient;
  let publisher: JetStreamPublisher;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    hook = await startHttpSink({ secret: WEBHOOK_SECRET });
    smtp = await startSmtpSink();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const options: NatsOptions = { servers: TEST_NATS_URL, service: 'alerting', namespace: nats.namespace };
    connection = new NatsConnectionService(options);
    rpc = new RpcClient(connection, options);
    publisher = new JetStreamPublisher(connection, options);
  });

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await connection?.close();
    await hook?.close();
    await smtp?.close();
    await sql?.end();
    await nats?.cleanup();
    await database?.drop();
  });

  async function startAlerting(): Promise<ServiceProcess> {
    const child = await startServiceProcess({
      service: 'alerting',
      portVariable: 'ALERTING_PORT',
      env: {
        NATS_URL: TEST_NATS_URL,
        NATS_NAMESPACE: nats.namespace,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        ALERTING_SECRET_KEY: TEST_SECRET_KEY,
        OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
        ALERTING_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        ALERTING_CHECKPOINT_SECONDS: String(CHECKPOINT_SECONDS),
        ALERTING_LEASE_RETRY_SECONDS: '1',
        ALERTING_DELIVERY_TIMEOUT_MS: '1000',
        ALERTING_DELIVERY_BACKOFF_MS: '100',
      },
    });
    processes.push(child);
    await expectEventually(
      async () => {
        const metrics = await getJson(`${child.url}/metrics`);
        expect(metricValue(metrics.text, 'alerting_owned_partitions'), child.output().slice(-2000)).toBe(8);
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    return child;
  }

  const scrape = async (child: ServiceProcess, name: string) =>
    metricValue((await getJson(`${child.url}/metrics`)).text, name);

  const checkpointOf = async (host: string) => {
    const { rows } = await sql.query<{ stream_seq: string }>(
      `SELECT "stream_seq" FROM "alerting"."partition_checkpoints" WHERE "partition" = $1`,
      [partitionOf(host)],
    );
    return Number(rows[0]?.stream_seq ?? 0);
  };

  /** Publishes one probe report per try until its samples meet `rules` rules: the rule index is loaded. */
  async function rulesIndexed(child: ServiceProcess, tenantId: string, rules: number): Promise<void> {
    const probe = hostId('probe');
    await expectEventually(
      async () => {
        const [reports, evaluations] = [
          await scrape(child, 'alerting_reports_evaluated_total'),
          await scrape(child, 'alerting_evaluations_total'),
        ];
        const report = metricsReport({
          tenantId,
          hostId: probe,
          time: new Date(),
          samples: [
            { name: 'cpu.usage_pct', value: 1 },
            { name: LATENCY, value: 1 },
          ],
        });
        await publisher.publish('metrics.report', report, { msgId: report.id });
        await expectEventually(async () =>
          expect(await scrape(child, 'alerting_reports_evaluated_total')).toBeGreaterThan(reports),
        );
        expect((await scrape(child, 'alerting_evaluations_total')) - evaluations).toBe(rules);
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  }

  it('should notify every channel exactly once per transition and fold every sample once across a kill -9 mid-delivery', async () => {
    const first = await startAlerting();
    const admin = actor('admin');
    const mailbox = `ops-${randomUUID().slice(0, 8)}@example.com`;
    const webhook = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: {
        name: 'ops hook',
        type: 'webhook',
        config: { url: `${hook.url}/${admin.tenantId}`, secret: WEBHOOK_SECRET },
      },
    });
    const email = await rpc.call('rpc.alerting.channels.create', {
      actor: admin,
      channel: { name: 'ops mail', type: 'email', config: { to: [mailbox] } },
    });
    const rule = await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'cpu high',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        critical: 90,
        forSeconds: 10,
        channelIds: [webhook.id, email.id],
      },
    });
    // Never warm: its baseline only counts the samples folded into it.
    await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: { name: 'latency baseline', kind: 'anomaly', metric: LATENCY, warmupSamples: 100_000 },
    });
    await rulesIndexed(first, admin.tenantId, 2);

    const host = hostId('web');
    const start = Date.now() - 120_000;
    let latencySamples = 0;
    const publish = async (offset: number, samples: { name: string; value: number }[]) => {
      const report = metricsReport({
        tenantId: admin.tenantId,
        hostId: host,
        time: new Date(start + offset * 1000),
        samples,
      });
      latencySamples += samples.filter((sample) => sample.name === LATENCY).length;
      return (await publisher.publish('metrics.report', report, { msgId: report.id })).sequence;
    };
    const latency = (offset: number) => publish(offset, [{ name: LATENCY, value: 100 + (offset % 7) }]);

    let lastSeq = 0;
    for (let offset = 0; offset < 10; offset++) lastSeq = await latency(offset);
    await expectEventually(async () => expect(await checkpointOf(host)).toBeGreaterThanOrEqual(lastSeq), {
      intervalMs: 20,
    });

    // Right after a checkpoint: what follows is in no saved state when the kill lands, so it is replayed.
    const firingArrived = hook.holdNext((receipt) => receipt.path === `/${admin.tenantId}`);
    const unsaved = await latency(10);
    for (let offset = 11; offset < 20; offset++) await latency(offset);
    await publish(20, [{ name: 'cpu.usage_pct', value: 95 }]);
    await publish(31, [{ name: 'cpu.usage_pct', value: 96 }]);
    const held: HttpReceipt = await firingArrived;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    hook.releaseHeld();
    expect(AlertNotification.parse(held.body)).toMatchObject({
      type: 'alert.firing',
      alert: { host: { id: host } },
    });
    expect(await checkpointOf(host)).toBeLessThan(unsaved);

    const second = await startAlerting();
    await publish(40, [{ name: 'cpu.usage_pct', value: 97 }]);
    for (let offset = 41; offset < 46; offset++) await latency(offset);
    await publish(50, [{ name: 'cpu.usage_pct', value: 20 }]);

    const posted = (type: AlertNotification['type']) =>
      hook.received.filter(
        (receipt) =>
          receipt.path === `/${admin.tenantId}` && AlertNotification.parse(receipt.body).type === type,
      );
    const mailed = (state: 'FIRING' | 'RESOLVED') =>
      smtp.messages.filter(
        (message) =>
          message.to.includes(mailbox) && new RegExp(`^Subject: .*CRITICAL ${state}:`, 'm').test(message.raw),
      );
    const { items } = await rpc.call('rpc.alerting.alerts.list', { actor: admin, ruleId: rule.id });
    expect(items).toHaveLength(1);
    const alertId = items[0]!.id;
    const settled = await expectEventually(
      async () => {
        const detail = await rpc.call('rpc.alerting.alerts.get', { actor: admin, id: alertId });
        expect(
          detail.deliveries
            .map((delivery) => `${delivery.kind}:${delivery.channelId}:${delivery.status}`)
            .sort(),
        ).toEqual(
          [
            `firing:${email.id}:delivered`,
            `firing:${webhook.id}:delivered`,
            `resolved:${email.id}:delivered`,
            `resolved:${webhook.id}:delivered`,
          ].sort(),
        );
        return detail;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(settled.transitions.map((transition) => transition.toState)).toEqual([
      'pending',
      'firing',
      'resolved',
    ]);

    // Delivery is at least once: a send the kill cut off (the held webhook post, maybe the mail) is sent again
    // by the restarted instance as the same delivery (same X-Optralis-Delivery), so raw receipts may hold a
    // repeat; per channel and transition there must be exactly one delivery id, and no new firing at all.
    const deliveryIds = (receipts: HttpReceipt[]) =>
      new Set(receipts.map((receipt) => receipt.headers['x-optralis-delivery']));
    const mailIds = (messages: { raw: string }[]) =>
      new Set(messages.map((message) => /^X-Optralis-Delivery: (\S+)/im.exec(message.raw)?.[1]));
    expect(posted('alert.firing')).toHaveLength(2);
    expect(deliveryIds(posted('alert.firing'))).toEqual(new Set([held.headers['x-optralis-delivery']]));
    expect(posted('alert.resolved')).toHaveLength(1);
    expect(mailed('FIRING').length).toBeGreaterThanOrEqual(1);
    expect(mailed('FIRING').length).toBeLessThanOrEqual(2);
    expect(mailIds(mailed('FIRING')).size).toBe(1);
    expect(mailed('RESOLVED')).toHaveLength(1);
    expect(mailIds(mailed('RESOLVED')).size).toBe(1);
    expect([...mailIds(mailed('FIRING')), ...mailIds(mailed('RESOLVED'))].every(Boolean)).toBe(true);
    expect(hook.received.every((receipt) => receipt.signatureValid)).toBe(true);

    // The baseline saw each latency sample once: restored from the checkpoint, the rest replayed, none twice.
    const lastLatency = new Date(start + 45_000);
    await expectEventually(
      async () => {
        const { rows } = await sql.query<{ sample_count: string; last_sample_at: Date }>(
          `SELECT "sample_count", "last_sample_at" FROM "alerting"."metric_baselines"
            WHERE "tenant_id" = $1 AND "host_id" = $2 AND "metric" = $3`,
          [admin.tenantId, host, LATENCY],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.last_sample_at.toISOString()).toBe(lastLatency.toISOString());
        expect(Number(rows[0]!.sample_count)).toBe(latencySamples);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(second.child.exitCode).toBeNull();
  }, 60_000);
});
