import type { AlertSeverity, AlertState, Rule } from '@optralis/contracts';

import type { Condition } from '../evaluation/detectors/condition';

/** What evaluation concluded about one (rule, host, series) from one sample or one presence check. */
export interface AlertSignal {
  tenantId: string;
  partition: number;
  rule: Rule;
  hostId: string;
  hostName: string;
  hostTags: readonly string[];
  metric: string | null;
  labels: Record<string, string>;
  dedupKey: string;
  condition: Condition;
  value: number | null;
  explanation: Record<string, unknown> | null;
  summary: string;
  /** When the sample was taken (skew-corrected); detection latency is measured from here. */
  sampleTime: Date;
  /** METRICS stream sequence of the sample: a replay after a crash cannot apply a transition twice. */
  streamSeq: number | null;
}

/** An alert row as stored; open ones (state ≠ resolved) are also kept in memory by their partition. */
export interface AlertRecord {
  id: string;
  tenantId: string;
  ruleId: string;
  ruleName: string;
  ruleKind: Rule['kind'];
  hostId: string;
  hostName: string;
  /** The host's tags when the alert last changed: tag-scoped maintenance windows pause its escalation. */
  hostTags: string[];
  metric: string | null;
  labels: Record<string, string>;
  dedupKey: string;
  severity: AlertSeverity;
  state: AlertState;
  flapping: boolean;
  value: number | null;
  explanation: Record<string, unknown> | null;
  summary: string;
  partition: number;
  escalationPolicyId: string | null;
  channelIds: string[];
  startedAt: Date;
  firingAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  updatedAt: Date;
}

export type AlertNotificationType =
  | 'alert.firing'
  | 'alert.resolved'
  | 'alert.acknowledged'
  | 'alert.escalated';

/** One change to write in one transaction: the row after it, its transition, its events and notifications. */
export interface AlertTransitionWrite {
  alert: AlertRecord;
  previousState: AlertState | null;
  isNew: boolean;
  time: Date;
  actor: string | null;
  /** Set for changes caused by a sample: skipped when this dedup key already saw a later sequence. */
  streamSeq: number | null;
  sampleTime: Date | null;
  /** Channels told about this change, and as what. */
  notify: { type: AlertNotificationType; channelIds: string[] } | null;
  /** Also tell every channel told anything about this alert so far (resolution, acknowledgement). */
  notifyPreviouslyNotified: AlertNotificationType | null;
  escalation: { start: string } | { end: 'stopped' | 'done' } | null;
}
