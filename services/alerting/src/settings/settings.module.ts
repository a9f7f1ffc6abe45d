import { Module } from '@nestjs/common';

import { TenantSettingsSource } from '../shared/ports';
import { SettingsRepository } from './settings.repository';
import { SettingsRpc } from './settings.rpc';
import { SettingsService } from './settings.service';
import { TenantSettingsService } from './tenant-settings.service';

/** Per-tenant alerting settings: `rpc.alerting.settings.*` and the `TenantSettingsSource` others read. */
@Module({
  controllers: [SettingsRpc],
  providers: [
    SettingsRepository,
    SettingsService,
    TenantSettingsService,
    { provide: TenantSettingsSource, useExisting: TenantSettingsService },
  ],
  exports: [TenantSettingsSource],
})
export class SettingsModule {}
