import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Rule } from '@optralis/contracts';

import { ConfigChanges } from '../shared/config-changes';
import { RuleSource } from '../shared/ports';

export interface IndexedRule {
  rule: Rule;
  labels: (readonly [string, string])[];
  hostIds: Set<string> | null;
  tags: string[];
}

export interface TenantRules {
  byMetric: Map<string, IndexedRule[]>;
  offline: IndexedRule[];
}

const REFRESH_MS = 60_000;

function indexed(rule: Rule): IndexedRule {
  return {
    rule,
    labels: 'labels' in rule ? Object.entries(rule.labels) : [],
    hostIds: rule.scope.hostIds.length > 0 ? new Set(rule.scope.hostIds) : null,
    tags: rule.scope.tags,
  };
}

export function inScope(rule: IndexedRule, hostId: string, tags: readonly string[]): boolean {
  if (rule.hostIds && !rule.hostIds.has(hostId)) return false;
  for (const tag of rule.tags) if (!tags.includes(tag)) return false;
  return true;
}

/** Enabled rules by tenant and metric name, reloaded for a tenant as soon as its rules change. */
@Injectable()
export class RuleIndex implements OnModuleDestroy {
  private readonly logger = new Logger(RuleIndex.name);
  private tenants = new Map<string, TenantRules>();
  private readonly reloads = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly source: RuleSource,
    changes: ConfigChanges,
  ) {
    this.unsubscribe = changes.on((change) => {
      if (change.kind === 'rules') void this.reloadTenant(change.tenantId);
    });
  }

  /** Loads every tenant's rules; then keeps them fresh (changes are pushed; the timer is a safety net). */
  async start(): Promise<void> {
    await this.reloadAll();
    this.timer ??= setInterval(() => void this.reloadAll().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    clearInterval(this.timer);
  }

  of(tenantId: string): TenantRules | undefined {
    return this.tenants.get(tenantId);
  }

  tenantIds(): IterableIterator<string> {
    return this.tenants.keys();
  }

  async reloadAll(): Promise<void> {
    const rules = await this.source.enabledRules();
    const grouped = new Map<string, Rule[]>();
    for (const rule of rules) grouped.set(rule.tenantId, [...(grouped.get(rule.tenantId) ?? []), rule]);
    const tenants = new Map<string, TenantRules>();
    for (const [tenantId, tenantRules] of grouped) tenants.set(tenantId, this.build(tenantRules));
    this.tenants = tenants;
  }

  async reloadTenant(tenantId: string): Promise<void> {
    // Two reloads of one tenant may finish out of order: only the newest may install its answer.
    const generation = (this.reloads.get(tenantId) ?? 0) + 1;
    this.reloads.set(tenantId, generation);
    try {
      const rules = await this.source.enabledRulesOf(tenantId);
      if (this.reloads.get(tenantId) !== generation) return;
      if (rules.length === 0) this.tenants.delete(tenantId);
      else this.tenants.set(tenantId, this.build(rules));
    } catch (error) {
      this.logger.warn(
        { tenantId, error: (error as Error).message },
        'rules not reloaded; the next refresh retries',
      );
    }
  }

  private build(rules: Rule[]): TenantRules {
    const byMetric = new Map<string, IndexedRule[]>();
    const offline: IndexedRule[] = [];
    for (const rule of rules) {
      if (rule.kind === 'host_offline') offline.push(indexed(rule));
      else byMetric.set(rule.metric, [...(byMetric.get(rule.metric) ?? []), indexed(rule)]);
    }
    return { byMetric, offline };
  }
}
