import { AlertNotification, type TokenActor } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { EscalationScheduler } from '../src/alerts/escalation.scheduler';
import { actor } from './alerting-test-app';
import { type HttpSink, startHttpSink } from './http-sink';
import { hostId, metricsReport, type Pipeline, startPipeline, WEBHOOK_SECRET } from './pipeline-harness';

const SECOND_STEP_MINUTES = 5;
type ChannelName = 'page' | 'lead' | 'manager';

describe('alerting escalation (end to end)', () => {
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

  /**
   * `cpu.usage_pct > 90` pages `page`; its policy tells `lead` at once and `manager` 5 minutes after firing.
   * Steps are whole minutes, so the test makes the second step due by moving its time, not by waiting.
   */
  async function escalatingTenant(admin: TokenActor) {
    const { rpc } = pipeline.alerting;
    const channels = {} as Record<ChannelName, { id: string }>;
    for (const name of ['page', 'lead', 'manager'] as const) {
      channels[name] = await rpc.call('rpc.alerting.channels.create', {
        actor: admin,
        channel: {
          name,
          type: 'webhook',
          config: { url: `${hook.url}/${admin.tenantId}/${name}`, secret: WEBHOOK_SECRET },
        },
      });
    }
    const policy = await rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: admin,
      policy: {
        name: 'lead, then manager',
        steps: [
          { afterMinutes: 0, channelIds: [channels.lead.id] },
          { afterMinutes: SECOND_STEP_MINUTES, channelIds: [channels.manager.id] },
        ],
      },
    });
    await rpc.call('rpc.alerting.rules.create', {
      actor: admin,
      rule: {
        name: 'cpu high',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        critical: 90,
        channelIds: [channels.page.id],
        escalationPolicyId: policy.id,
      },
    });
    await pipeline.rulesLoaded(admin.tenantId, 1);
    const host = hostId('api');
    const start = Date.now() - 60_000;
    let tick = 0;
    const received = (name: ChannelName) =>
      hook.received
        .filter((receipt) => receipt.path === `/${admin.tenantId}/${name}`)
        .map((receipt) => AlertNotification.parse(receipt.body));
    return {
      channels,
      host,
      received,
      /** Every channel's notifications as `channel:type`, in order per channel. */
      told: () =>
        Object.fromEntries(
          (['page', 'lead', 'manager'] as const).map((name) => [
            name,
            received(name).map((notification) => notification.type),
          ]),
        ),
      sample: (value: number) =>
        pipeline.publish(
          metricsReport({
            tenantId: admin.tenantId,
            hostId: host,
            time: new Date(start + ++tick * 1000),
            samples: [{ name: 'cpu.usage_pct', value }],
          }),
        ),
      ack: (id: string) => rpc.call('rpc.alerting.alerts.ack', { actor: admin, id, note: 'on it' }),
      alert: (id: string) => rpc.call('rpc.alerting.alerts.get', { actor: admin, id }),
    };
  }

  type Escalation = { state: string; step_index: number; base_time: Date; next_at: Date };
  const escalationOf = async (alertId: string) =>
    (
      await pipeline.query<Escalation>(
        `SELECT "state", "step_index", "base_time", "next_at" FROM "alerting"."escalations" WHERE "alert_id" = $1`,
        [alertId],
      )
    )[0];
  const makeDue = (alertId: string) =>
    pipeline.query(`UPDATE "alerting"."escalations" SET "next_at" = now() WHERE "alert_id" = $1`, [alertId]);

  it('should tell the next step when nobody acknowledges, and send the acknowledgement and resolution to every channel told', async () => {
    const admin = actor('admin');
    const tenant = await escalatingTenant(admin);

    await tenant.sample(95);
    await expectEventually(() =>
      expect(tenant.told()).toEqual({ page: ['alert.firing'], lead: ['alert.escalated'], manager: [] }),
    );
    const alertId = tenant.received('page')[0]!.alert.id;
    expect(tenant.received('lead')[0]!.alert).toMatchObject({
      id: alertId,
      state: 'firing',
      escalationStep: 1,
    });

    const waiting = await expectEventually(async () => {
      const escalation = await escalationOf(alertId);
      expect(escalation).toMatchObject({ state: 'active', step_index: 1 });
      return escalation!;
    });
    expect(waiting.next_at.getTime() - waiting.base_time.getTime()).toBe(SECOND_STEP_MINUTES * 60_000);
    expect((await tenant.alert(alertId)).deliveries.map((delivery) => delivery.channelId)).not.toContain(
      tenant.channels.manager.id,
    );

    await makeDue(alertId);
    await expectEventually(() =>
      expect(tenant.told()).toEqual({
        page: ['alert.firing'],
        lead: ['alert.escalated'],
        manager: ['alert.escalated'],
      }),
    );
    expect(tenant.received('manager')[0]!.alert).toMatchObject({ id: alertId, escalationStep: 2 });
    await expectEventually(async () => expect((await escalationOf(alertId))?.state).toBe('done'));

    const acknowledged = await tenant.ack(alertId);
    expect(acknowledged).toMatchObject({ state: 'acknowledged', acknowledgedBy: admin.userId });
    await expectEventually(() =>
      expect(tenant.told()).toEqual({
        page: ['alert.firing', 'alert.acknowledged'],
        lead: ['alert.escalated', 'alert.acknowledged'],
        manager: ['alert.escalated', 'alert.acknowledged'],
      }),
    );

    await tenant.sample(20);
    await expectEventually(() =>
      expect(tenant.told()).toEqual({
        page: ['alert.firing', 'alert.acknowledged', 'alert.resolved'],
        lead: ['alert.escalated', 'alert.acknowledged', 'alert.resolved'],
        manager: ['alert.escalated', 'alert.acknowledged', 'alert.resolved'],
      }),
    );
    expect(hook.received.every((receipt) => receipt.signatureValid)).toBe(true);
  });

  it('should stop escalating once acknowledged and resolve only to the channels that were told', async () => {
    const admin = actor('admin');
    const tenant = await escalatingTenant(admin);

    await tenant.sample(95);
    await expectEventually(() =>
      expect(tenant.told()).toEqual({ page: ['alert.firing'], lead: ['alert.escalated'], manager: [] }),
    );
    const alertId = tenant.received('page')[0]!.alert.id;
    await expectEventually(async () => expect((await escalationOf(alertId))?.step_index).toBe(1));

    await tenant.ack(alertId);
    expect((await escalationOf(alertId))?.state).toBe('stopped');
    await expectEventually(() =>
      expect(tenant.told()).toEqual({
        page: ['alert.firing', 'alert.acknowledged'],
        lead: ['alert.escalated', 'alert.acknowledged'],
        manager: [],
      }),
    );

    // The second step's time comes: an acknowledged alert does not escalate.
    await makeDue(alertId);
    expect(await pipeline.alerting.app.get(EscalationScheduler).runOnce()).toBe(0);
    const breaching = await tenant.sample(97);
    await pipeline.evaluatedThrough(tenant.host, breaching);
    const detail = await tenant.alert(alertId);
    expect(detail.state).toBe('acknowledged');
    expect(detail.deliveries.map((delivery) => delivery.channelId)).not.toContain(tenant.channels.manager.id);

    await tenant.sample(20);
    await expectEventually(() =>
      expect(tenant.told()).toEqual({
        page: ['alert.firing', 'alert.acknowledged', 'alert.resolved'],
        lead: ['alert.escalated', 'alert.acknowledged', 'alert.resolved'],
        manager: [],
      }),
    );
    const resolved = await tenant.alert(alertId);
    expect(resolved.state).toBe('resolved');
    expect(
      resolved.deliveries.filter((delivery) => delivery.channelId === tenant.channels.manager.id),
    ).toEqual([]);
  });
});
