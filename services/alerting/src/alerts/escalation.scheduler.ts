import { randomUUID } from 'node:crypto';

import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseService } from '@optralis/db';
import { PeriodicTask } from '@optralis/service-kit';
import { DataSource, type EntityManager } from 'typeorm';

import { enqueueDeliveries } from '../delivery/delivery-outbox';
import { DeliveryWaker, EscalationPolicySource, MaintenanceCalendar } from '../shared/ports';
import { buildNotification } from './alert-notification';
import { ALERT_COLUMNS, type AlertRow, fromRow } from './alert-row';

interface EscalationRow {
  alert_id: string;
  tenant_id: string;
  policy_id: string;
  step_index: number;
  round: number;
  base_time: Date;
}

const MINUTE = 60_000;

/**
 * Walks escalation policies: every due step of an alert still firing and unacknowledged notifies the step's
 * channels, then the next step (or the next round) is scheduled. Inside a maintenance window an escalation
 * waits for the window's end. Rows are claimed with SKIP LOCKED, so instances never double a step.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EscalationScheduler.name);
  private readonly task = new PeriodicTask('escalations', () => this.tick(), this.logger);

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseService,
    private readonly policies: EscalationPolicySource,
    private readonly calendar: MaintenanceCalendar,
    private readonly deliveries: DeliveryWaker,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(1000, { immediately: true }),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  runOnce(): Promise<number> {
    return this.task.runNow();
  }

  private async tick(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: EscalationRow[] = await manager.query(
        `SELECT "alert_id", "tenant_id", "policy_id", "step_index", "round", "base_time"
           FROM "alerting"."escalations" WHERE "state" = 'active' AND "next_at" <= now()
          ORDER BY "next_at" LIMIT 200 FOR UPDATE SKIP LOCKED`,
      );
      let notified = 0;
      for (const escalation of due) notified += await this.advance(manager, escalation);
      if (notified > 0) this.deliveries.wake();
      return notified;
    });
  }

  private async advance(manager: EntityManager, escalation: EscalationRow): Promise<number> {
    const [row] = (await manager.query(
      `SELECT ${ALERT_COLUMNS} FROM "alerting"."alerts" WHERE "tenant_id" = $1 AND "id" = $2`,
      [escalation.tenant_id, escalation.alert_id],
    )) as AlertRow[];
    const policy = await this.policies.find(escalation.tenant_id, escalation.policy_id);
    if (!row || !policy || row.state === 'resolved' || row.state === 'acknowledged') {
      await this.setState(manager, escalation, row?.state === 'acknowledged' ? 'stopped' : 'done');
      return 0;
    }
    const alert = fromRow(row);
    const window = await this.calendar.suppressing(
      alert.tenantId,
      { hostId: alert.hostId, tags: alert.hostTags },
      new Date(),
    );
    if (window || alert.state !== 'firing') {
      // Looked at again within a minute: a window deleted or cut short must not hold the escalation.
      const resumeAt = new Date(Math.min(window?.endsAt.getTime() ?? Infinity, Date.now() + MINUTE));
      await manager.query(
        `UPDATE "alerting"."escalations" SET "next_at" = $3 WHERE "tenant_id" = $1 AND "alert_id" = $2`,
        [escalation.tenant_id, escalation.alert_id, resumeAt],
      );
      return 0;
    }
    const step = policy.steps[escalation.step_index];
    if (!step) {
      await this.setState(manager, escalation, 'done');
      return 0;
    }
    const now = new Date();
    const stepNumber = escalation.round * policy.steps.length + escalation.step_index + 1;
    await enqueueDeliveries(
      manager,
      step.channelIds.map((channelId) => {
        const id = randomUUID();
        return {
          id,
          tenantId: alert.tenantId,
          alertId: alert.id,
          channelId,
          kind: 'escalation' as const,
          idempotencyKey: `${alert.id}:escalation:${escalation.round}:${escalation.step_index}:${channelId}`,
          payload: buildNotification({
            alert,
            type: 'alert.escalated',
            previousState: alert.state,
            deliveryId: id,
            time: now,
            escalationStep: stepNumber,
          }),
          sampleTime: null,
        };
      }),
    );
    await this.scheduleNext(manager, escalation, policy.steps, policy.repeat, now);
    this.logger.log({ tenantId: alert.tenantId, alertId: alert.id, step: stepNumber }, 'alert escalated');
    return step.channelIds.length;
  }

  private async scheduleNext(
    manager: EntityManager,
    escalation: EscalationRow,
    steps: { afterMinutes: number }[],
    repeat: number,
    now: Date,
  ): Promise<void> {
    let { step_index: stepIndex, round, base_time: baseTime } = escalation;
    stepIndex += 1;
    if (stepIndex >= steps.length) {
      if (round >= repeat) {
        await this.setState(manager, escalation, 'done');
        return;
      }
      round += 1;
      stepIndex = 0;
      baseTime = now;
    }
    // A round restarting at once would loop every tick: at least one minute between rounds.
    const delay = Math.max(steps[stepIndex]!.afterMinutes, stepIndex === 0 ? 1 : 0) * MINUTE;
    await manager.query(
      `UPDATE "alerting"."escalations" SET "step_index" = $3, "round" = $4, "base_time" = $5, "next_at" = $6
        WHERE "tenant_id" = $1 AND "alert_id" = $2`,
      [
        escalation.tenant_id,
        escalation.alert_id,
        stepIndex,
        round,
        baseTime,
        new Date(baseTime.getTime() + delay),
      ],
    );
  }

  private async setState(manager: EntityManager, escalation: EscalationRow, state: 'stopped' | 'done') {
    await manager.query(
      `UPDATE "alerting"."escalations" SET "state" = $3 WHERE "tenant_id" = $1 AND "alert_id" = $2`,
      [escalation.tenant_id, escalation.alert_id, state],
    );
  }
}
