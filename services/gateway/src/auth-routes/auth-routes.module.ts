import { Module } from '@nestjs/common';

import { ApiTokensController } from './api-tokens.controller';
import { IngestTokensController } from './ingest-tokens.controller';
import { JwksController } from './jwks.controller';
import { MeController } from './me.controller';
import { RefreshCookie } from './refresh-cookie';
import { SessionController } from './session.controller';
import { SsoProvidersController } from './sso-providers.controller';
import { SsoController } from './sso.controller';
import { AuditController, TenantsController } from './tenants-audit.controller';
import { UsersController } from './users.controller';

/** Routes answered by services/auth: sessions, SSO, the caller, users, tokens, providers, tenants, audit. */
@Module({
  controllers: [
    SessionController,
    SsoController,
    JwksController,
    MeController,
    UsersController,
    ApiTokensController,
    IngestTokensController,
    SsoProvidersController,
    TenantsController,
    AuditController,
  ],
  providers: [RefreshCookie],
})
export class AuthRoutesModule {}
