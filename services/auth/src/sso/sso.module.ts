import { Module } from '@nestjs/common';

import { KeysModule } from '../keys/keys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { OidcClients } from './oidc/oidc-client';
import { OidcRpc } from './oidc/oidc.rpc';
import { OidcService } from './oidc/oidc.service';
import { PendingLoginsRepository } from './providers/pending-logins.repository';
import { SsoProvidersRepository } from './providers/sso-providers.repository';
import { SsoProvidersRpc } from './providers/sso-providers.rpc';
import { SsoProvidersService } from './providers/sso-providers.service';
import { SsoSecrets } from './providers/sso-secrets';
import { SamlRpc } from './saml/saml.rpc';
import { SamlService } from './saml/saml.service';
import { SsoLoginService } from './sso-login.service';

/** OIDC and SAML single sign-on; needs IdentityModule (config, audit trail) in the application. KeysModule lends the master key. */
@Module({
  imports: [KeysModule, SessionsModule, TenantsModule, UsersModule],
  controllers: [SsoProvidersRpc, OidcRpc, SamlRpc],
  providers: [
    SsoSecrets,
    SsoProvidersRepository,
    PendingLoginsRepository,
    SsoProvidersService,
    SsoLoginService,
    OidcClients,
    OidcService,
    SamlService,
  ],
})
export class SsoModule {}
