import { type SmtpSettings, TenantSettingsSource } from '../../shared/ports';

/** Tenant settings for tests: SMTP servers set per tenant, defaults for the rest. */
export class TestTenantSettings extends TenantSettingsSource {
  readonly smtpServers = new Map<string, SmtpSettings>();

  anomaly() {
    return Promise.resolve({ zWarning: 3, zCritical: 4, alpha: 0.3, warmupSamples: 30 });
  }

  flapping() {
    return Promise.resolve({ windowSeconds: 600, maxTransitions: 6 });
  }

  smtp(tenantId: string) {
    return Promise.resolve(this.smtpServers.get(tenantId) ?? null);
  }
}
