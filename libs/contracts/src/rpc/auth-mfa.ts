import { z } from 'zod';

import { Actor, TokenPair } from './auth-identity';

/** The short-lived token `rpc.auth.login` hands out when a second factor (or its enrolment) is due. */
const MfaToken = z.string().min(1).max(4096);
/** A six-digit TOTP code (RFC 6238, SHA-1, 30 s). */
export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');
/** `xxxxx-xxxxx`; dashes, spaces and case are ignored. */
const RecoveryCode = z.string().min(8).max(32);
const Password = z.string().min(1).max(1024);

export const MfaEnrollment = z.object({ secret: z.string(), otpauthUri: z.string() });
export type MfaEnrollment = z.infer<typeof MfaEnrollment>;

/** `rpc.auth.mfa.*`: TOTP enrolment, confirmation, the login step and disabling. */
export const authMfaRpc = {
  'rpc.auth.mfa.enroll': {
    request: z.union([z.object({ actor: Actor }).strict(), z.object({ mfaToken: MfaToken }).strict()]),
    reply: MfaEnrollment,
  },
  'rpc.auth.mfa.confirm': {
    request: z.union([
      z.object({ actor: Actor, code: TotpCode }).strict(),
      z.object({ mfaToken: MfaToken, code: TotpCode }).strict(),
    ]),
    /** `session` only when confirmed with an enrolment token: enrolling was the last login step. */
    reply: z.object({ recoveryCodes: z.array(z.string()), session: TokenPair.optional() }),
  },
  'rpc.auth.mfa.verify': {
    request: z.union([
      z.object({ mfaToken: MfaToken, code: TotpCode }).strict(),
      z.object({ mfaToken: MfaToken, recoveryCode: RecoveryCode }).strict(),
    ]),
    reply: TokenPair,
  },
  'rpc.auth.mfa.disable': {
    request: z.union([
      z.object({ actor: Actor, code: TotpCode }).strict(),
      z.object({ actor: Actor, password: Password }).strict(),
    ]),
    reply: z.object({ done: z.literal(true) }),
  },
} as const;
