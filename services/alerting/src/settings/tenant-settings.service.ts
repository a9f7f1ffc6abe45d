import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { asTenantId } from '@optralis/db';

import { ConfigChanges } from '../shared/config-changes';
import {
  type AnomalySettings,
  type FlappingPolicy,
  type SmtpSettings,
  TenantSettingsSource,
} from '../shared/ports';
import { SecretBox } from '../shared/secret-box';
import { anomalyOf, flappingOf, smtpPasswordContext } from './settings-values';
import { type SettingsRecord, SettingsRepository } from './settings.repository';

/** A change notice from another instance can be lost (core NATS); this bounds how long that lasts. */
const MAX_AGE_MS = 5 * 60_000;

interface CachedSettings {
  loadedAt: number;
  record: Promise<SettingsRecord | undefined>;
}

/** Settings as evaluation and delivery read them: cached per tenant, dropped on a `settings` change. */
@Injectable()
export class TenantSettingsService implements TenantSettingsSource, OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, CachedSettings>();
  private stopListening?: () => void;

  constructor(
    private readonly repository: SettingsRepository,
    private readonly box: SecretBox,
    private readonly changes: ConfigChanges,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.changes.on((change) => {
      if (change.kind === 'settings') this.cache.delete(change.tenantId);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  async anomaly(tenantId: string): Promise<AnomalySettings> {
    return anomalyOf((await this.recordOf(tenantId))?.anomaly);
  }

  async flapping(tenantId: string): Promise<FlappingPolicy> {
    return flappingOf((await this.recordOf(tenantId))?.flapping);
  }

  /** Unsealed on each call, so a password that cannot be opened fails only mail, not the other settings. */
  async smtp(tenantId: string): Promise<SmtpSettings | null> {
    const record = await this.recordOf(tenantId);
    if (!record?.smtp) return null;
    let password: string | null = null;
    if (record.sealedPassword !== null) {
      try {
        password = this.box.open(record.sealedPassword, smtpPasswordContext(tenantId));
      } catch {
        throw new Error(`the SMTP password of tenant ${tenantId} cannot be unsealed (was the key changed?)`);
      }
    }
    return { ...record.smtp, password };
  }

  private recordOf(tenantId: string): Promise<SettingsRecord | undefined> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < MAX_AGE_MS) return cached.record;
    const entry: CachedSettings = {
      loadedAt: Date.now(),
      record: this.repository.find(asTenantId(tenantId)).catch((error: unknown) => {
        if (this.cache.get(tenantId) === entry) this.cache.delete(tenantId);
        throw error;
      }),
    };
    this.cache.set(tenantId, entry);
    return entry.record;
  }
}
