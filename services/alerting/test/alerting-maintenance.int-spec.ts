import { AlertNotification, type TokenActor } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { actor } from './alerting-test-app';
import { type HttpSink, startHttpSink } from './http-sink';
import { hostId, metricsReport, type Pipeline, startPipeline, WEBHOOK_SECRET } from './pipeline-harness';

const WINDOW_MINUTES = 60;

describe('alerting maintenance windows (end to end)', () => {
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
   * A tenant whose `cpu.usage_pct` and `mem.used_pct` rules page one webhook channel and escalate, 10 minutes
   * after firing, to a second one. Each channel posts to its own path so receipts say which channel sent them.
   */
  async function tenantWithRules(admin: TokenActor) {
    const { rpc } = pipeline.alerting;
    const channel = (name: string) =>
      rpc.call('rpc.alerting.channels.create', {
        actor: admin,
        channel: {
          name,
          type: 'webhook',
          config: { url: `${hook.url}/${admin.tenantId}/${name}`, secret: WEBHOOK_SECRET },
        },
      });
    const [page, oncall] = [await channel('page'), await channel('oncall')];
    const policy = await rpc.call('rpc.alerting.escalationPolicies.create', {
      actor: admin,
      policy: { name: 'wake someone', steps: [{ afterMinutes: 10, channelIds: [oncall.id] }] },
    });
    const rule = (name: string, metric: string) =>
      rpc.call('rpc.alerting.rules.create', {
        actor: admin,
        rule: {
          name,
          kind: 'threshold',
          metric,
          operator: '>',
          warning: 80,
          critical: 90,
          channelIds: [page.id],
          escalationPolicyId: policy.id,
        },
      });
    const [cpu, mem] = [await rule('cpu high', 'cpu.usage_pct'), await rule('mem high', 'mem.used_pct')];
    await pipeline.rulesLoaded(admin.tenantId, 2);
    const start = Date.now() - 120_000;
    let tick = 0;
    return {
      cpu,
      mem,
      received: (channelName: 'page' | 'oncall') =>
        hook.received
          .filter((receipt) => receipt.path === `/${admin.tenantId}/${channelName}`)
          .map((receipt) => AlertNotification.parse(receipt.body)),
      /** Publishes one sample with a time after every earlier one of the test; the stream sequence. */
      sample: (host: string, metric: string, value: number, tags = ['prod']) =>
        pipeline.publish(
          metricsReport({
            tenantId: admin.tenantId,
            hostId: host,
            tags,
            time: new Date(start + ++tick * 1000),
            samples: [{ name: metric, value }],
          }),
        ),
      openWindow: (scope: { hostIds?: string[]; tags?: string[] }) =>
        rpc.call('rpc.alerting.maintenanceWindows.create', {
          actor: admin,
          window: {
            name: 'patching',
            startsAt: new Date(Date.now() - 1000).toISOString(),
            durationMinutes: WINDOW_MINUTES,
            scope: { hostIds: scope.hostIds ?? [], tags: scope.tags ?? [] },
          },
        }),
      alert: (id: string) => rpc.call('rpc.alerting.alerts.get', { actor: admin, id }),
      openAlert: async (ruleId: string, host: string) => {
        const { items } = await rpc.call('rpc.alerting.alerts.list', {
          actor: admin,
          ruleId,
          hostId: host,
          open: true,
        });
        return items[0];
      },
    };
  }

  type Escalation = { state: string; next_at: Date; step_index: number };
  const escalationOf = async (alertId: string) =>
    (
      await pipeline.query<Escalation>(
        `SELECT "state", "next_at", "step_index" FROM "alerting"."escalations" WHERE "alert_id" = $1`,
        [alertId],
      )
    )[0];

  /** Makes a waiting escalation step due now, as if its minutes had passed. */
  const makeDue = (alertId: string) =>
    pipeline.query(`UPDATE "alerting"."escalations" SET "next_at" = now() WHERE "alert_id" = $1`, [alertId]);

  it('should keep a firing host quiet, pause its escalation and suppress new alerts while a window covers its id', async () => {
    const admin = actor('admin');
    const tenant = await tenantWithRules(admin);
    const host = hostId('db');
    const other = hostId('web');

    await tenant.sample(host, 'cpu.usage_pct', 85);
    const [firing] = await expectEventually(() => {
      expect(tenant.received('page')).toHaveLength(1);
      return tenant.received('page');
    });
    expect(firing!.alert).toMatchObject({ state: 'firing', severity: 'warning', host: { id: host } });
    const cpuAlert = firing!.alert.id;
    expect(await escalationOf(cpuAlert)).toMatchObject({ state: 'active', step_index: 0 });

    const window = await tenant.openWindow({ hostIds: [host] });
    expect(window.active).toBe(true);

    const breaching = await tenant.sample(host, 'cpu.usage_pct', 88);
    await pipeline.evaluatedThrough(host, breaching);
    expect(tenant.received('page')).toHaveLength(1);
    expect((await tenant.alert(cpuAlert)).deliveries).toHaveLength(1);
    // Worsening to critical inside the window is recorded, not told.
    const worse = await tenant.sample(host, 'cpu.usage_pct', 95);
    await pipeline.evaluatedThrough(host, worse);
    await expectEventually(async () => expect((await tenant.alert(cpuAlert)).severity).toBe('critical'));
    expect(tenant.received('page')).toHaveLength(1);
    expect((await tenant.alert(cpuAlert)).deliveries).toHaveLength(1);

    // The escalation step comes due inside the window: it is looked at again within a minute (the window
    // may be deleted early) instead of paging.
    await makeDue(cpuAlert);
    const paused = await expectEventually(async () => {
      const escalation = await escalationOf(cpuAlert);
      expect(escalation?.next_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
      return escalation!;
    });
    expect(paused).toMatchObject({ state: 'active', step_index: 0 });
    expect(paused.next_at.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(paused.next_at.getTime()).toBeLessThan(Date.parse(window.currentOccurrence!.end));
    expect((await tenant.alert(cpuAlert)).deliveries.map((delivery) => delivery.kind)).toEqual(['firing']);

    // A new alert inside the window is recorded as suppressed: no notification, no escalation.
    await tenant.sample(host, 'mem.used_pct', 95);
    const suppressed = await expectEventually(async () => {
      const alert = await tenant.openAlert(tenant.mem.id, host);
      expect(alert?.state).toBe('suppressed');
      return alert!;
    });
    const memDetail = await tenant.alert(suppressed.id);
    expect(memDetail.deliveries).toEqual([]);
    expect(memDetail.transitions.map((transition) => transition.toState)).toEqual(['suppressed']);
    expect(await escalationOf(suppressed.id)).toBeUndefined();

    // A host the window does not name is notified as usual.
    await tenant.sample(other, 'mem.used_pct', 95);
    await expectEventually(() =>
      expect(tenant.received('page').map((notification) => notification.alert.host.id)).toEqual([
        host,
        other,
      ]),
    );

    await pipeline.alerting.rpc.call('rpc.alerting.maintenanceWindows.delete', {
      actor: admin,
      id: window.id,
    });
    await tenant.sample(host, 'mem.used_pct', 96);
    const afterWindow = await expectEventually(() => {
      const memPages = tenant
        .received('page')
        .filter((notification) => notification.alert.id === suppressed.id);
      expect(memPages).toHaveLength(1);
      return memPages[0]!;
    });
    expect(afterWindow).toMatchObject({
      type: 'alert.firing',
      alert: { state: 'firing', previousState: 'suppressed', severity: 'critical' },
    });
    expect(await escalationOf(suppressed.id)).toMatchObject({ state: 'active', step_index: 0 });
    expect(tenant.received('oncall')).toEqual([]);
  }, 60_000);

  it('should pause escalations and suppress alerts of hosts carrying the window’s tag, and notify again once it is deleted', async () => {
    const admin = actor('admin');
    const tenant = await tenantWithRules(admin);
    const paged = hostId('db');
    const tagged = hostId('db');
    const untagged = hostId('web');

    await tenant.sample(paged, 'cpu.usage_pct', 95, ['prod', 'db']);
    await expectEventually(() => expect(tenant.received('page')).toHaveLength(1));
    const firingAlert = tenant.received('page')[0]!.alert.id;
    const window = await tenant.openWindow({ tags: ['db'] });

    // The alert does not name the tag; its host carries it: the escalation is paused (looked at again
    // within a minute) instead of paging.
    await makeDue(firingAlert);
    await expectEventually(async () =>
      expect((await escalationOf(firingAlert))?.next_at.getTime()).toBeGreaterThan(Date.now() + 30_000),
    );
    expect((await escalationOf(firingAlert))!.next_at.getTime()).toBeLessThan(
      Date.parse(window.currentOccurrence!.end),
    );
    expect(await escalationOf(firingAlert)).toMatchObject({ state: 'active', step_index: 0 });

    await tenant.sample(tagged, 'cpu.usage_pct', 95, ['prod', 'db']);
    await tenant.sample(untagged, 'cpu.usage_pct', 95, ['prod']);
    await expectEventually(() =>
      expect(tenant.received('page').map((notification) => notification.alert.host.id)).toEqual([
        paged,
        untagged,
      ]),
    );
    const suppressed = await expectEventually(async () => {
      const alert = await tenant.openAlert(tenant.cpu.id, tagged);
      expect(alert?.state).toBe('suppressed');
      return alert!;
    });

    // Still breaching inside the window: it stays suppressed and quiet.
    const breaching = await tenant.sample(tagged, 'cpu.usage_pct', 97, ['prod', 'db']);
    await pipeline.evaluatedThrough(tagged, breaching);
    expect(await tenant.openAlert(tenant.cpu.id, tagged)).toMatchObject({
      id: suppressed.id,
      state: 'suppressed',
    });

    // A suppressed alert that clears resolves without telling anyone: nobody was told it fired.
    await tenant.sample(tagged, 'cpu.usage_pct', 10, ['prod', 'db']);
    await expectEventually(async () => expect((await tenant.alert(suppressed.id)).state).toBe('resolved'));
    const resolved = await tenant.alert(suppressed.id);
    expect(resolved.deliveries).toEqual([]);
    expect(resolved.transitions.map((transition) => transition.toState)).toEqual(['suppressed', 'resolved']);

    await pipeline.alerting.rpc.call('rpc.alerting.maintenanceWindows.delete', {
      actor: admin,
      id: window.id,
    });
    await tenant.sample(tagged, 'cpu.usage_pct', 96, ['prod', 'db']);
    await expectEventually(() =>
      expect(
        tenant.received('page').map((notification) => [notification.alert.host.id, notification.type]),
      ).toEqual([
        [paged, 'alert.firing'],
        [untagged, 'alert.firing'],
        [tagged, 'alert.firing'],
      ]),
    );
    const fired = tenant.received('page')[2];
    expect(fired!.alert).toMatchObject({ state: 'firing', previousState: null, severity: 'critical' });
    expect(fired!.alert.id).not.toBe(suppressed.id);
    expect(tenant.received('oncall')).toEqual([]);
  }, 60_000);
});
