import type { EscalationPolicy, Rule } from '@optralis/contracts';

/**
 * What one capability asks of another inside alerting. Each port is an abstract class (so it is also the
 * Nest injection token); the owning module binds it with `useExisting` and exports it.
 */

/** Bound by RulesModule. */
export abstract class RuleSource {
  /** Every enabled rule of every tenant (the evaluator's index is built from this). */
  abstract enabledRules(): Promise<Rule[]>;
  /** Every enabled rule of one tenant (reloaded when ConfigChanges says `rules` changed). */
  abstract enabledRulesOf(tenantId: string): Promise<Rule[]>;
}

export interface SuppressingWindow {
  windowId: string;
  name: string;
  endsAt: Date;
}

/** Bound by MaintenanceModule; answers from a per-tenant cache refreshed on ConfigChanges and every 30 s. */
export abstract class MaintenanceCalendar {
  abstract suppressing(
    tenantId: string,
    host: { hostId: string; tags: readonly string[] },
    at: Date,
  ): Promise<SuppressingWindow | null>;
}

export interface AnomalySettings {
  zWarning: number;
  zCritical: number;
  alpha: number;
  warmupSamples: number;
}

export interface FlappingPolicy {
  windowSeconds: number;
  maxTransitions: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password: string | null;
  from: string;
}

/** Bound by SettingsModule; cached per tenant, invalidated on ConfigChanges `settings`. Defaults when unset. */
export abstract class TenantSettingsSource {
  abstract anomaly(tenantId: string): Promise<AnomalySettings>;
  abstract flapping(tenantId: string): Promise<FlappingPolicy>;
  /** The tenant's SMTP server with the password unsealed, or null when the tenant set none. */
  abstract smtp(tenantId: string): Promise<SmtpSettings | null>;
}

/** Bound by EscalationPoliciesModule. */
export abstract class EscalationPolicySource {
  abstract find(tenantId: string, id: string): Promise<EscalationPolicy | null>;
}

/** Bound by DeliveryModule: asks the dispatcher to look for due deliveries now (after a commit). */
export abstract class DeliveryWaker {
  abstract wake(): void;
}
