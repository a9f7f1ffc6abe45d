import type { AlertSeverity, AlertState, Alert } from '@optralis/contracts';

import type { AlertRecord } from './alert.types';

export interface AlertRow {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_name: string;
  rule_kind: AlertRecord['ruleKind'];
  host_id: string;
  host_name: string;
  host_tags: string[];
  metric: string | null;
  labels: Record<string, string>;
  dedup_key: string;
  severity: AlertSeverity;
  state: AlertState;
  flapping: boolean;
  value: number | null;
  explanation: Record<string, unknown> | null;
  summary: string;
  partition: number;
  escalation_policy_id: string | null;
  channel_ids: string[];
  started_at: Date;
  firing_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  updated_at: Date;
}

export const ALERT_COLUMNS = `"id", "tenant_id", "rule_id", "rule_name", "rule_kind", "host_id", "host_name", "host_tags", "metric",
  "labels", "dedup_key", "severity", "state", "flapping", "value", "explanation", "summary", "partition",
  "escalation_policy_id", "channel_ids", "started_at", "firing_at", "acknowledged_at", "acknowledged_by",
  "resolved_at", "updated_at"`;

export function fromRow(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    ruleKind: row.rule_kind,
    hostId: row.host_id,
    hostName: row.host_name,
    hostTags: row.host_tags,
    metric: row.metric,
    labels: row.labels,
    dedupKey: row.dedup_key,
    severity: row.severity,
    state: row.state,
    flapping: row.flapping,
    value: row.value,
    explanation: row.explanation,
    summary: row.summary,
    partition: row.partition,
    escalationPolicyId: row.escalation_policy_id,
    channelIds: row.channel_ids,
    startedAt: row.started_at,
    firingAt: row.firing_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

export function toAlert(record: AlertRecord): Alert {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: record.id,
    tenantId: record.tenantId,
    ruleId: record.ruleId,
    ruleName: record.ruleName,
    ruleKind: record.ruleKind,
    hostId: record.hostId,
    hostName: record.hostName,
    metric: record.metric,
    labels: record.labels,
    severity: record.severity,
    state: record.state,
    flapping: record.flapping,
    value: record.value,
    explanation: record.explanation,
    summary: record.summary,
    startedAt: record.startedAt.toISOString(),
    firingAt: iso(record.firingAt),
    acknowledgedAt: iso(record.acknowledgedAt),
    acknowledgedBy: record.acknowledgedBy,
    resolvedAt: iso(record.resolvedAt),
    updatedAt: record.updatedAt.toISOString(),
  };
}
