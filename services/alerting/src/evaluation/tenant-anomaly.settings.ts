import { Injectable, type OnModuleDestroy } from '@nestjs/common';

import { ConfigChanges } from '../shared/config-changes';
import { type AnomalySettings, TenantSettingsSource } from '../shared/ports';

/** The tenant's anomaly defaults kept at hand for the hot path (one lookup per tenant until they change). */
@Injectable()
export class TenantAnomalySettings implements OnModuleDestroy {
  private readonly cache = new Map<string, AnomalySettings>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly settings: TenantSettingsSource,
    changes: ConfigChanges,
  ) {
    this.unsubscribe = changes.on((change) => {
      if (change.kind === 'settings') this.cache.delete(change.tenantId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  async of(tenantId: string): Promise<AnomalySettings> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const loaded = await this.settings.anomaly(tenantId);
    this.cache.set(tenantId, loaded);
    return loaded;
  }
}
