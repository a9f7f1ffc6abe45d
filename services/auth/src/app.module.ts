import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { AuthConfig } from './config';
import { IdentityModule } from './identity.module';
import { authMigrations } from './migrations';
import { SsoModule } from './sso/sso.module';
import { StatusPageModule } from './status-page/status-page.module';
import { TokensModule } from './tokens/tokens.module';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'auth', version, config, migrations: authMigrations }),
        IdentityModule.forRoot(config),
        SsoModule,
        StatusPageModule,
        TokensModule.forRoot({ token: config.OPTRALIS_BOOTSTRAP_INGEST_TOKEN }),
      ],
    };
  }
}
