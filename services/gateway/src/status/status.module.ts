import { Module } from '@nestjs/common';

import { PublicStatusController } from './public-status.controller';
import { PublicStatusService } from './public-status.service';
import { StatusPageHeaders } from './status-page.headers';
import { StatusPageRateLimitGuard } from './status-page.rate-limit.guard';
import { StatusPageSettingsController } from './status-page-settings.controller';

/** Public status pages (`/status/{tenantSlug}`, `.json`) and their settings (`/api/v1/status-page`). */
@Module({
  controllers: [PublicStatusController, StatusPageSettingsController],
  providers: [PublicStatusService, StatusPageHeaders, StatusPageRateLimitGuard],
})
export class StatusModule {}
