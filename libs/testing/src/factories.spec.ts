import { AgentReport, AlertChanged, AuditEvent, HostEvent, MetricsReport } from '@optralis/contracts';

import { factory } from './factories';

describe('factory', () => {
  it('should build messages that pass their contract schemas when used with defaults', () => {
    const tenantId = factory.tenantId();
    expect(AgentReport.safeParse(factory.agentReport()).success).toBe(true);
    expect(MetricsReport.safeParse(factory.metricsReport({ tenantId })).success).toBe(true);
    expect(HostEvent.safeParse(factory.hostEvent({ tenantId })).success).toBe(true);
    expect(AlertChanged.safeParse(factory.alertChanged({ tenantId })).success).toBe(true);
    expect(AuditEvent.safeParse(factory.auditEvent({ tenantId })).success).toBe(true);
  });

  it('should give each tenant its own id when called twice', () => {
    expect(factory.tenantId()).not.toBe(factory.tenantId());
  });
});
