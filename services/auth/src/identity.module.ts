import { type DynamicModule, Global, Module } from '@nestjs/common';

import { BootstrapModule } from './bootstrap/bootstrap.module';
import type { AuthConfig } from './config';
import { KeysModule } from './keys/keys.module';
import { MfaModule } from './mfa/mfa.module';
import { SessionsModule } from './sessions/sessions.module';
import { AuditTrail } from './shared/audit.trail';
import { AUTH_CONFIG } from './shared/auth-config';
import { PasswordHasher } from './shared/password.hasher';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';

/** Tenants, users, sessions, MFA, signing keys and first start, with the settings and helpers they share. */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [TenantsModule, UsersModule, SessionsModule, KeysModule, MfaModule, BootstrapModule],
      providers: [{ provide: AUTH_CONFIG, useValue: config }, AuditTrail, PasswordHasher],
      exports: [AUTH_CONFIG, AuditTrail, PasswordHasher, BootstrapModule],
    };
  }
}
