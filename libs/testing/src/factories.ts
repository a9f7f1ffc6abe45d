import { randomUUID } from 'node:crypto';

import type { AgentReport, AlertChanged, AuditEvent, HostEvent, MetricsReport } from '@optralis/contracts';

import { uniqueId } from './environment';

/** Valid contract messages with sensible defaults; a test overrides only what it is about. */
export const factory = {
  tenantId: (): string => uniqueId('tenant'),

  agentReport(overrides: Partial<AgentReport> = {}, samples = 2): AgentReport {
    return {
      host: { id: randomUUID(), name: 'web-01', tags: ['prod'] },
      seq: 1,
      time: new Date().toISOString(),
      metrics: Array.from({ length: samples }, (_, index) => ({
        name: `test.metric_${index}`,
        value: index * 1.5,
      })),
      ...overrides,
    };
  },

  metricsReport(overrides: Partial<MetricsReport> & { tenantId: string }, samples = 2): MetricsReport {
    const now = new Date().toISOString();
    return {
      id: randomUUID(),
      hostId: randomUUID(),
      hostName: 'web-01',
      source: 'agent',
      seq: 1,
      time: now,
      receivedAt: now,
      samples: Array.from({ length: samples }, (_, index) => ({
        name: `test.metric_${index}`,
        value: index,
      })),
      ...overrides,
    };
  },

  hostEvent(overrides: Partial<HostEvent> & { tenantId: string }): HostEvent {
    return {
      id: randomUUID(),
      hostId: randomUUID(),
      hostName: 'web-01',
      kind: 'registered',
      time: new Date().toISOString(),
      data: {},
      ...overrides,
    };
  },

  alertChanged(overrides: Partial<AlertChanged> & { tenantId: string }): AlertChanged {
    return {
      id: randomUUID(),
      alertId: randomUUID(),
      ruleId: randomUUID(),
      ruleName: 'cpu high',
      ruleKind: 'threshold',
      hostId: randomUUID(),
      severity: 'critical',
      state: 'firing',
      value: 97.5,
      summary: 'cpu.usage_pct is 97.5, above the critical level 90 for 60 s',
      time: new Date().toISOString(),
      ...overrides,
    };
  },

  auditEvent(overrides: Partial<AuditEvent> & { tenantId: string }): AuditEvent {
    return {
      id: randomUUID(),
      service: 'auth',
      actor: { type: 'system', id: 'test' },
      action: 'test.performed',
      outcome: 'success',
      time: new Date().toISOString(),
      data: {},
      ...overrides,
    };
  },
};
