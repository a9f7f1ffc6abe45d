import { Injectable } from '@nestjs/common';
import type { HostEvent, HostOfflineRuleInput, Rule } from '@optralis/contracts';

import { AlertLifecycleService } from '../alerts/alert-lifecycle.service';
import type { Condition } from './detectors/condition';
import { describeOffline, describeResolved } from './detectors/explanation-text';
import { hostKey, type HostPresence, type PartitionState } from './partition-state';
import { inScope, type IndexedRule } from './rule-index.service';

/** Default when a rule gives neither afterSeconds nor missedIntervals: three missed reports. */
const DEFAULT_MISSED_INTERVALS = 3;
const MIN_SILENCE_SECONDS = 5;

function thresholdSeconds(rule: HostOfflineRuleInput, host: HostPresence): number {
  if (rule.afterSeconds !== null) return rule.afterSeconds;
  const intervals = rule.missedIntervals ?? DEFAULT_MISSED_INTERVALS;
  return Math.max(MIN_SILENCE_SECONDS, intervals * host.intervalSeconds);
}

/** Host-offline rules: a host silent for longer than its rule allows fires; its next report resolves. */
@Injectable()
export class OfflineEvaluator {
  constructor(private readonly lifecycle: AlertLifecycleService) {}

  /** On a report: the host is alive, so its open offline alerts resolve. */
  async evaluateHost(
    state: PartitionState,
    host: HostPresence,
    rules: IndexedRule[],
    time: number,
    seq: number | null,
  ): Promise<void> {
    for (const candidate of rules) {
      if (!inScope(candidate, host.hostId, host.tags)) continue;
      await this.apply(state, host, candidate.rule as Rule & HostOfflineRuleInput, 'ok', 0, time, seq);
    }
  }

  /**
   * Ingest declared a host offline. A host this partition never saw (it went silent before alerting's
   * look-back, say) becomes known with ingest's last-seen time and interval, so the sweep measures it
   * against the rules' own limits; a host seen since that time is left to its newer presence.
   */
  recordOfflineEvent(state: PartitionState, event: HostEvent): boolean {
    const lastSeen = Date.parse(String(event.data.lastSeen ?? ''));
    if (!Number.isFinite(lastSeen)) return false;
    const interval = Number(event.data.intervalSeconds);
    const key = hostKey(event.tenantId, event.hostId);
    const known = state.hosts.get(key);
    if (known && known.lastSeenAt >= lastSeen) return false;
    state.hosts.set(key, {
      tenantId: event.tenantId,
      hostId: event.hostId,
      hostName: event.hostName ?? known?.hostName ?? event.hostId,
      tags: known?.tags ?? [],
      lastSeenAt: lastSeen,
      lastReportTime: known?.lastReportTime ?? 0,
      intervalSeconds: Number.isFinite(interval) && interval > 0 ? interval : (known?.intervalSeconds ?? 10),
    });
    state.dirtyHosts.add(key);
    return true;
  }

  /** On the sweep: every known host of the partition measured against its tenant's offline rules. */
  async sweep(state: PartitionState, rulesOf: (tenantId: string) => IndexedRule[] | undefined, now: number) {
    for (const host of state.hosts.values()) {
      const rules = rulesOf(host.tenantId);
      if (!rules) continue;
      const silentSeconds = (now - host.lastSeenAt) / 1000;
      for (const candidate of rules) {
        if (!inScope(candidate, host.hostId, host.tags)) continue;
        const rule = candidate.rule as Rule & HostOfflineRuleInput;
        const condition: Condition = silentSeconds > thresholdSeconds(rule, host) ? rule.severity : 'ok';
        await this.apply(state, host, rule, condition, silentSeconds, now, null);
      }
    }
  }

  private async apply(
    state: PartitionState,
    host: HostPresence,
    rule: Rule & HostOfflineRuleInput,
    condition: Condition,
    silentSeconds: number,
    time: number,
    seq: number | null,
  ): Promise<void> {
    const dedupKey = `${rule.id}:${host.hostId}`;
    if (!this.lifecycle.needsWork(host.tenantId, dedupKey, condition)) return;
    const limit = thresholdSeconds(rule, host);
    await this.lifecycle.apply({
      tenantId: host.tenantId,
      partition: state.partition,
      rule,
      hostId: host.hostId,
      hostName: host.hostName,
      hostTags: host.tags,
      metric: null,
      labels: {},
      dedupKey,
      condition,
      value: condition === 'ok' ? null : Math.round(silentSeconds),
      explanation:
        condition === 'ok'
          ? null
          : {
              silentSeconds: Math.round(silentSeconds),
              thresholdSeconds: limit,
              lastSeenAt: new Date(host.lastSeenAt).toISOString(),
            },
      summary:
        condition === 'ok'
          ? describeResolved({ ruleName: rule.name, hostName: host.hostName, value: null })
          : describeOffline({ hostName: host.hostName, silentSeconds, thresholdSeconds: limit }),
      sampleTime: new Date(condition === 'ok' ? time : host.lastSeenAt + limit * 1000),
      streamSeq: seq,
    });
  }
}
