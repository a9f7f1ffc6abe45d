import { sanitiseId } from './ids';
import type { ServiceName } from './services';

export const DEFAULT_PARTITIONS = 8;

/** FNV-1a 32-bit: stable across processes and languages, cheap on the hot path. */
export function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function partitionOf(hostId: string, partitions = DEFAULT_PARTITIONS): number {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new RangeError('partitions must be a positive integer');
  return fnv1a(hostId) % partitions;
}

export function metricsSubject(input: { tenantId: string; hostId: string; partitions?: number }): string {
  const tenant = sanitiseId(input.tenantId, 'tenantId');
  const host = sanitiseId(input.hostId, 'hostId');
  return `metrics.p${partitionOf(host, input.partitions)}.${tenant}.${host}`;
}

/** Filter subject for one partition, as an alerting instance subscribes to it. */
export function metricsPartitionFilter(partition: number): string {
  return `metrics.p${partition}.>`;
}

export const HOST_EVENT_KINDS = ['registered', 'inventory', 'offline', 'online', 'updated'] as const;
export type HostEventKind = (typeof HOST_EVENT_KINDS)[number];

export function hostEventSubject(input: { tenantId: string; hostId: string; kind: HostEventKind }): string {
  return `events.${sanitiseId(input.tenantId, 'tenantId')}.host.${sanitiseId(input.hostId, 'hostId')}.${input.kind}`;
}

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved', 'suppressed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export function alertSubject(input: {
  tenantId: string;
  severity: AlertSeverity;
  state: AlertState;
}): string {
  return `alerts.${sanitiseId(input.tenantId, 'tenantId')}.${input.severity}.${input.state}`;
}

export function auditSubject(input: { tenantId: string; service: ServiceName }): string {
  return `audit.${sanitiseId(input.tenantId, 'tenantId')}.${input.service}`;
}

export function deadletterSubject(streamName: string): string {
  return `deadletter.${sanitiseId(streamName, 'streamName')}`;
}

export function rpcSubject(service: ServiceName, method: string): string {
  const parts = method.split('.').map((part) => sanitiseId(part, 'method'));
  return `rpc.${service}.${parts.join('.')}`;
}
