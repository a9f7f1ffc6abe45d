export type StreamName = 'METRICS' | 'EVENTS' | 'ALERTS' | 'AUDIT' | 'DEADLETTER';

export interface StreamDefinition {
  name: string;
  description: string;
  subjects: string[];
  retention: 'limits' | 'workqueue' | 'interest';
  storage: 'file' | 'memory';
  maxAgeSeconds: number;
  duplicateWindowSeconds: number;
  /** Largest accepted message; larger publishes are refused by the server. */
  maxMessageBytes: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const STREAMS: Record<StreamName, StreamDefinition> = {
  METRICS: {
    name: 'METRICS',
    description: 'Normalised metric reports, one message per report, partitioned by host',
    subjects: ['metrics.>'],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: DAY,
    duplicateWindowSeconds: 10 * 60,
    maxMessageBytes: 4 * 1024 * 1024,
  },
  EVENTS: {
    name: 'EVENTS',
    description: 'Host lifecycle: registered, inventory, offline, online',
    subjects: ['events.>'],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: 10 * 60,
    maxMessageBytes: 1024 * 1024,
  },
  ALERTS: {
    name: 'ALERTS',
    description: 'Alert state changes',
    subjects: ['alerts.>'],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 10 * 60,
    maxMessageBytes: 1024 * 1024,
  },
  AUDIT: {
    name: 'AUDIT',
    description: 'Audit events of every service, journaled by auth',
    subjects: ['audit.>'],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 90 * DAY,
    duplicateWindowSeconds: 10 * 60,
    maxMessageBytes: 1024 * 1024,
  },
  DEADLETTER: {
    name: 'DEADLETTER',
    description: 'Messages that failed validation or exhausted their retries, with the reason',
    subjects: ['deadletter.>'],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 14 * DAY,
    duplicateWindowSeconds: 10 * 60,
    maxMessageBytes: 8 * 1024 * 1024,
  },
};
