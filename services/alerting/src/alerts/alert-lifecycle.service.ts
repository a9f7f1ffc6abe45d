import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { AlertSeverity, AlertState } from '@optralis/contracts';

import type { Condition } from '../evaluation/detectors/condition';
import { MaintenanceCalendar, TenantSettingsSource } from '../shared/ports';
import type { AlertRecord, AlertSignal, AlertTransitionWrite } from './alert.types';
import { AlertBook } from './alert-book';
import { PartitionWrites } from './partition-writes.service';

function forSecondsOf(signal: AlertSignal): number {
  const { rule } = signal;
  return rule.kind === 'threshold' || rule.kind === 'anomaly' ? rule.forSeconds : 0;
}

/**
 * pending → firing (or suppressed inside a maintenance window) → resolved, one open alert per dedup key.
 * Decides from the partition's in-memory book, updates the book at once, and queues the change for its
 * partition's writer, which commits it (alert, transition, ALERTS event, deliveries, escalation) in order.
 */
@Injectable()
export class AlertLifecycleService {
  private readonly logger = new Logger(AlertLifecycleService.name);

  constructor(
    private readonly book: AlertBook,
    private readonly writes: PartitionWrites,
    private readonly calendar: MaintenanceCalendar,
    private readonly settings: TenantSettingsSource,
  ) {}

  /** Whether a signal could change anything: most samples of a healthy fleet stop here, without I/O. */
  needsWork(tenantId: string, dedupKey: string, condition: Condition): boolean {
    const open = this.book.get(tenantId, dedupKey);
    if (condition === 'ok') return open !== undefined;
    if (!open) return true;
    if (open.state === 'pending' || open.state === 'suppressed') return true;
    return open.severity !== condition;
  }

  async apply(signal: AlertSignal): Promise<void> {
    const { tenantId, dedupKey, streamSeq, partition } = signal;
    if (streamSeq !== null && this.writes.alreadyApplied(partition, tenantId, dedupKey, streamSeq)) return;
    const open = this.book.get(signal.tenantId, signal.dedupKey);
    const change =
      signal.condition === 'ok'
        ? open && this.resolve(open, signal)
        : open
          ? await this.continueBreach(open, signal)
          : await this.open(signal);
    if (!change) return;
    if (change.alert.state === 'resolved') this.book.delete(change.alert.tenantId, change.alert.dedupKey);
    else this.book.set(change.alert);
    await this.writes.enqueue(change);
    this.logger.log(
      { tenantId: signal.tenantId, ruleId: signal.rule.id, hostId: signal.hostId, alertId: change.alert.id },
      `alert ${change.previousState ?? 'new'} → ${change.alert.state}`,
    );
  }

  private async open(signal: AlertSignal): Promise<AlertTransitionWrite> {
    const severity = signal.condition as AlertSeverity;
    const pending = forSecondsOf(signal) > 0;
    const flapping = await this.isFlapping(signal);
    const alert: AlertRecord = {
      id: randomUUID(),
      tenantId: signal.tenantId,
      ruleId: signal.rule.id,
      ruleName: signal.rule.name,
      ruleKind: signal.rule.kind,
      hostId: signal.hostId,
      hostName: signal.hostName,
      hostTags: [...signal.hostTags],
      metric: signal.metric,
      labels: signal.labels,
      dedupKey: signal.dedupKey,
      severity,
      state: 'pending',
      flapping,
      value: signal.value,
      explanation: signal.explanation,
      summary: signal.summary,
      partition: signal.partition,
      escalationPolicyId: signal.rule.escalationPolicyId,
      channelIds: signal.rule.channelIds,
      startedAt: signal.sampleTime,
      firingAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      updatedAt: new Date(),
    };
    if (pending) return this.write(alert, null, signal, { isNew: true });
    return this.fire(alert, null, signal, true);
  }

  private async continueBreach(
    open: AlertRecord,
    signal: AlertSignal,
  ): Promise<AlertTransitionWrite | undefined> {
    const severity = signal.condition as AlertSeverity;
    const updated: AlertRecord = {
      ...open,
      hostTags: [...signal.hostTags],
      severity,
      value: signal.value,
      explanation: signal.explanation,
      summary: signal.summary,
    };
    if (open.state === 'pending') {
      const breachedSeconds = (signal.sampleTime.getTime() - open.startedAt.getTime()) / 1000;
      if (breachedSeconds >= forSecondsOf(signal)) return this.fire(updated, open.state, signal, false);
      return open.severity === severity ? undefined : this.write(updated, open.state, signal);
    }
    if (open.state === 'suppressed') {
      const window = await this.calendar.suppressing(signal.tenantId, this.hostOf(signal), new Date());
      return window ? undefined : this.fire(updated, open.state, signal, false);
    }
    if (open.severity === severity) return undefined;
    // A worse severity tells the channels again (unless someone is already on it or a maintenance window
    // covers the host); a better one is only recorded.
    const upgrade =
      severity === 'critical' &&
      open.state === 'firing' &&
      !open.flapping &&
      !(await this.calendar.suppressing(signal.tenantId, this.hostOf(signal), new Date()));
    return this.write(updated, open.state, signal, {
      notify: upgrade ? { type: 'alert.firing', channelIds: open.channelIds } : null,
    });
  }

  private async fire(
    alert: AlertRecord,
    previousState: AlertState | null,
    signal: AlertSignal,
    isNew: boolean,
  ): Promise<AlertTransitionWrite> {
    const window = await this.calendar.suppressing(signal.tenantId, this.hostOf(signal), new Date());
    const fired: AlertRecord = {
      ...alert,
      state: window ? 'suppressed' : 'firing',
      firingAt: window ? alert.firingAt : (alert.firingAt ?? new Date()),
    };
    if (window) return this.write(fired, previousState, signal, { isNew });
    const tell = !fired.flapping;
    return this.write(fired, previousState, signal, {
      isNew,
      notify: tell ? { type: 'alert.firing', channelIds: fired.channelIds } : null,
      escalation: tell && fired.escalationPolicyId ? { start: fired.escalationPolicyId } : null,
    });
  }

  private resolve(open: AlertRecord, signal: AlertSignal): AlertTransitionWrite {
    const resolved: AlertRecord = {
      ...open,
      state: 'resolved',
      value: signal.value,
      summary: signal.summary,
      resolvedAt: new Date(),
    };
    const wasNotified = open.state === 'firing' || open.state === 'acknowledged';
    return this.write(resolved, open.state, signal, {
      notifyPreviouslyNotified: wasNotified && !open.flapping ? 'alert.resolved' : null,
      escalation: { end: 'done' },
    });
  }

  private write(
    alert: AlertRecord,
    previousState: AlertState | null,
    signal: AlertSignal,
    options: Partial<
      Pick<AlertTransitionWrite, 'isNew' | 'notify' | 'notifyPreviouslyNotified' | 'escalation'>
    > = {},
  ): AlertTransitionWrite {
    return {
      alert,
      previousState,
      isNew: options.isNew ?? false,
      time: new Date(),
      actor: null,
      streamSeq: signal.streamSeq,
      sampleTime: signal.sampleTime,
      notify: options.notify ?? null,
      notifyPreviouslyNotified: options.notifyPreviouslyNotified ?? null,
      escalation: options.escalation ?? null,
    };
  }

  private hostOf(signal: AlertSignal) {
    return { hostId: signal.hostId, tags: signal.hostTags };
  }

  private async isFlapping(signal: AlertSignal): Promise<boolean> {
    const policy = await this.settings.flapping(signal.tenantId);
    const since = Date.now() - policy.windowSeconds * 1000;
    return this.writes.changesSince(signal.tenantId, signal.dedupKey, since) >= policy.maxTransitions;
  }
}
