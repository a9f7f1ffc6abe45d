import type { KeysService } from '../keys/keys.service';
import type { AuthConfig } from './auth-config';

/** `mfa`: a TOTP or recovery code is due; `mfa_enroll`: the tenant requires MFA and the user has none yet. */
export type MfaPurpose = 'mfa' | 'mfa_enroll';

export const MFA_TOKEN_TTL_SECONDS = 300;

/** A separate audience, so an MFA token is never accepted as an access token (nor the other way round). */
export function mfaAudience(config: AuthConfig): string {
  return `${config.AUTH_JWT_AUDIENCE}:mfa`;
}

/** The short-lived token that carries a password login over to its second step, bound to user and tenant. */
export async function signMfaToken(
  keys: KeysService,
  config: AuthConfig,
  input: { userId: string; tenantId: string; purpose: MfaPurpose },
): Promise<string> {
  const { token } = await keys.sign({
    subject: input.userId,
    claims: { tenant: input.tenantId, purpose: input.purpose },
    ttlSeconds: MFA_TOKEN_TTL_SECONDS,
    audience: mfaAudience(config),
  });
  return token;
}
