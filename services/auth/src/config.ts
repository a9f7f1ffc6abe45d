import { BooleanFlag, serviceEnv } from '@optralis/config';
import { INGEST_TOKEN_PATTERN } from '@optralis/contracts';
import { z } from 'zod';

const EncryptionKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, { message: 'must be 32 bytes in base64' });

export const AuthEnv = serviceEnv('auth', 8082, {
  OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(1).max(1024).optional(),
  OPTRALIS_BOOTSTRAP_INGEST_TOKEN: z
    .string()
    .regex(INGEST_TOKEN_PATTERN, 'must be opt_ing_ + 8 lowercase letters or digits + _ + 48 hex digits')
    .optional(),
  /** Encrypts signing keys at rest; without it a 0600 key file is created on first start. */
  AUTH_KEY_ENCRYPTION_KEY: EncryptionKey.optional(),
  AUTH_MASTER_KEY_FILE: z.string().min(1).default('.optralis/auth-master.key'),
  AUTH_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  AUTH_JWT_ISSUER: z.string().min(1).default('optralis-auth'),
  AUTH_JWT_AUDIENCE: z.string().min(1).default('optralis'),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  AUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Public base URL of the gateway: SAML entity id and ACS URL, OIDC callback URLs. */
  AUTH_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
  /** Lets OIDC talk to an http issuer on a loopback address (tests and local IdPs only). */
  AUTH_SSO_ALLOW_INSECURE_LOOPBACK: BooleanFlag.default(false),
});
export type AuthConfig = z.output<typeof AuthEnv>;
