import { Injectable } from '@nestjs/common';
import type { HostOfflineRuleInput, Rule } from '@optralis/contracts';

import { AlertLifecycleService } from '../alerts/alert-lifecycle.service';
import type { Condition } from './detectors/condition';
import { describeOffline, describeResolved } from './detectors/explanation-text';
import type { HostPresence, PartitionState } from './partition-state';
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
