import type { z } from 'zod';

import { AlertChanged } from './schemas/alert-event';
import { AuditEvent } from './schemas/audit-event';
import { HostEvent } from './schemas/host-event';
import { MetricsReport } from './schemas/metrics-report';
import type { StreamName } from './streams';
import { alertSubject, auditSubject, hostEventSubject, metricsSubject } from './subjects';

export interface SubjectOptions {
  partitions?: number;
}

/** One typed table: a message name fixes its stream, schema and subject (STYLE.md habit 2). */
export const messages = {
  'metrics.report': {
    stream: 'METRICS',
    schema: MetricsReport,
    subject: (report: MetricsReport, options: SubjectOptions = {}) =>
      metricsSubject({ tenantId: report.tenantId, hostId: report.hostId, partitions: options.partitions }),
  },
  'host.event': {
    stream: 'EVENTS',
    schema: HostEvent,
    subject: (event: HostEvent) => hostEventSubject(event),
  },
  'alerts.changed': {
    stream: 'ALERTS',
    schema: AlertChanged,
    subject: (alert: AlertChanged) => alertSubject(alert),
  },
  'audit.recorded': {
    stream: 'AUDIT',
    schema: AuditEvent,
    subject: (event: AuditEvent) => auditSubject(event),
  },
} as const satisfies Record<
  string,
  { stream: StreamName; schema: z.ZodType; subject: (payload: never) => string }
>;

export type MessageName = keyof typeof messages;
export type PayloadOf<N extends MessageName> = z.output<(typeof messages)[N]['schema']>;
export type InputOf<N extends MessageName> = z.input<(typeof messages)[N]['schema']>;
