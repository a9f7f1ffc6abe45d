import { randomBytes } from 'node:crypto';

import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_ISSUER = 'Optralis';
const PERIOD_SECONDS = 30;
/** One step either side: a phone clock off by up to 30 s still works. */
const DRIFT_STEPS = 1;

/** A fresh 160-bit secret, base32 (what authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function otpauthUri(secret: string, email: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

/** The RFC 6238 time step the code belongs to (now ±1), or undefined when it matches none. */
export async function matchingStep(
  secret: string,
  code: string,
  now = Date.now(),
): Promise<number | undefined> {
  try {
    const result = await verify({
      secret,
      token: code,
      period: PERIOD_SECONDS,
      epoch: Math.floor(now / 1000),
      epochTolerance: DRIFT_STEPS * PERIOD_SECONDS,
    });
    // The functional API types HOTP and TOTP results together; only TOTP carries a time step.
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  } catch {
    // otplib throws on a malformed token or secret: to the caller that is just a wrong code.
    return undefined;
  }
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxxx-xxxxx` from 31 unambiguous characters: about 50 bits, shown once, stored as SHA-256. */
export function newRecoveryCode(): string {
  let code = '';
  for (const byte of randomBytes(32)) {
    // 248 is the largest multiple of 31 below 256: no modulo bias.
    if (byte < 248) code += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
    if (code.length === 10) return `${code.slice(0, 5)}-${code.slice(5)}`;
  }
  return newRecoveryCode();
}

/** What is hashed: lower case without dashes or spaces, so `ABCDE FGHJK` matches `abcde-fghjk`. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}
