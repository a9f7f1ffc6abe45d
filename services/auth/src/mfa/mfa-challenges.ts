import { Inject, Injectable } from '@nestjs/common';
import { asTenantId, type TenantId } from '@optralis/db';

import { KeysService } from '../keys/keys.service';
import { AUTH_CONFIG, type AuthConfig } from '../shared/auth-config';
import { AuthError } from '../shared/auth-error';
import { mfaAudience, type MfaPurpose } from '../shared/mfa-token';
import { MfaErrorCode } from './mfa.errors';
import { MfaRepository } from './mfa.repository';

export const MAX_ATTEMPTS_PER_TOKEN = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MfaChallenge {
  jti: string;
  userId: string;
  tenantId: TenantId;
  expiresAt: Date;
}

/** The MFA login token: signed (user, tenant, purpose, 5 min), then single use and five attempts at most. */
@Injectable()
export class MfaChallenges {
  constructor(
    private readonly keys: KeysService,
    private readonly repository: MfaRepository,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** A valid, unused token of this purpose; token_expired or token_invalid otherwise. */
  async open(token: string, purpose: MfaPurpose): Promise<MfaChallenge> {
    const payload = await this.keys.verify(token, mfaAudience(this.config));
    const { sub, tenant, jti, exp } = payload;
    if (payload.purpose !== purpose || typeof tenant !== 'string' || !UUID.test(tenant) || !UUID.test(sub!)) {
      throw this.invalid();
    }
    if (await this.repository.isConsumed(jti!)) throw this.invalid();
    return { jti: jti!, userId: sub!, tenantId: asTenantId(tenant), expiresAt: new Date(exp! * 1000) };
  }

  /** Counts an attempt to prove something with the token; the sixth one is refused whatever it holds. */
  async attempt(challenge: MfaChallenge): Promise<void> {
    const { attempts, consumed } = await this.repository.countAttempt(challenge.tenantId, challenge);
    if (consumed) throw this.invalid();
    if (attempts > MAX_ATTEMPTS_PER_TOKEN) {
      throw new AuthError(MfaErrorCode.RateLimited, 'too many attempts with this token: log in again');
    }
  }

  async consume(challenge: MfaChallenge): Promise<void> {
    if (!(await this.repository.consumeChallenge(challenge.jti))) throw this.invalid();
  }

  private invalid(): AuthError {
    return new AuthError(MfaErrorCode.TokenInvalid, 'the MFA token is not valid');
  }
}
