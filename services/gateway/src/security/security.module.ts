import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { RateLimitGuard } from '../http/rate-limit.guard';
import { AccessTokenVerifier } from './access-token.verifier';
import { ApiTokenVerifier } from './api-token.verifier';
import { AuthenticationGuard } from './authentication.guard';
import { Authenticator } from './authenticator.service';

/** Who may call what, and how often. The guards run in this order: authenticate, then rate-limit. */
@Global()
@Module({
  providers: [
    AccessTokenVerifier,
    ApiTokenVerifier,
    Authenticator,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AccessTokenVerifier, Authenticator],
})
export class SecurityModule {}
