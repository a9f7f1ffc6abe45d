import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import { AlertingRoutesModule } from './alerting-routes/alerting-routes.module';
import { AuthRoutesModule } from './auth-routes/auth-routes.module';
import type { GatewayConfig } from './config';
import { DownstreamModule } from './downstream/downstream.module';
import { ExportModule } from './export/export.module';
import { FleetModule } from './fleet/fleet.module';
import { GatewayConfigModule } from './gateway.config.provider';
import { GatewayHttpModule } from './http/http.module';
import { LiveModule } from './live/live.module';
import { OpenApiModule } from './openapi/openapi.module';
import { SecurityModule } from './security/security.module';
import { StatusModule } from './status/status.module';
import { SystemModule } from './system/system.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'gateway', version, config }),
        GatewayConfigModule.forRoot(config),
        GatewayHttpModule,
        DownstreamModule,
        SecurityModule,
        OpenApiModule,
        SystemModule,
        AuthRoutesModule,
        FleetModule,
        LiveModule,
        StatusModule,
        AlertingRoutesModule,
        ExportModule,
      ],
    };
  }
}
