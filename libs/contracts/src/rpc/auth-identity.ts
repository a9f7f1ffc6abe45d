import { z } from 'zod';

import { IsoTime } from '../schemas/common';

export const ROLES = ['owner', 'admin', 'editor', 'observer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const Id = z.uuid();
const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
/** Length is judged by the password policy; the bound only keeps hostile input away from argon2. */
const Password = z.string().min(1).max(1024);
const OpaqueToken = z.string().min(16).max(512);
const Jwt = z.string().min(1).max(8192);
export const TenantSlug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and "-", starting with a letter or digit');

/** Who is calling: the gateway fills it from the verified access token, never from the client body. */
export const Actor = z.object({ userId: Id, tenantId: Id, role: Role, sessionId: Id.optional() }).strict();
export type Actor = z.infer<typeof Actor>;

export const TenantSettings = z.object({
  mfaRequiredForAdmins: z.boolean(),
  passwordExpiryDays: z.number().int().positive().nullable(),
});
export const Tenant = z.object({
  id: Id,
  slug: TenantSlug,
  name: z.string(),
  settings: TenantSettings,
  createdAt: IsoTime,
});
export type Tenant = z.infer<typeof Tenant>;
const TenantRef = z.object({ id: Id, slug: z.string(), name: z.string() });

export const UserView = z.object({
  id: Id,
  email: z.string(),
  role: Role,
  status: z.enum(['active', 'disabled']),
  mfaEnabled: z.boolean(),
  passwordSetAt: IsoTime.nullable(),
  createdAt: IsoTime,
});
export type UserView = z.infer<typeof UserView>;

export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
  sessionId: Id,
  tenant: TenantRef,
  user: z.object({ id: Id, email: z.string(), role: Role }),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const LoginReply = z.union([
  TokenPair,
  z.object({ mfaRequired: z.literal(true), mfaToken: z.string() }),
  z.object({ mfaEnrollmentRequired: z.literal(true), mfaToken: z.string() }),
  z.object({ passwordExpired: z.literal(true) }),
]);
export type LoginReply = z.infer<typeof LoginReply>;

export const AccessClaims = z.object({
  sub: Id,
  tenant: Id,
  role: Role,
  sid: Id,
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  jti: z.string(),
  iat: z.number(),
  exp: z.number(),
});
export type AccessClaims = z.infer<typeof AccessClaims>;

export const PublicJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  kid: z.string(),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});

const Invitation = z.object({ token: z.string(), role: Role, expiresAt: IsoTime });
const OneTimePassword = z.object({ temporaryPassword: z.string(), mustChange: z.literal(true) });
const Done = z.object({ done: z.literal(true) });

/** `rpc.auth.*` methods of tenants, users, sessions and signing keys. */
export const authIdentityRpc = {
  'rpc.auth.login': {
    request: z.object({ email: Email, password: Password, tenantId: Id.optional() }).strict(),
    reply: LoginReply,
  },
  'rpc.auth.refresh': { request: z.object({ refreshToken: OpaqueToken }).strict(), reply: TokenPair },
  'rpc.auth.logout': {
    request: z.union([
      z.object({ refreshToken: OpaqueToken }).strict(),
      z.object({ actor: Actor.required({ sessionId: true }) }).strict(),
    ]),
    reply: Done,
  },
  'rpc.auth.switchTenant': {
    request: z.union([
      z.object({ refreshToken: OpaqueToken, tenantId: Id }).strict(),
      z.object({ actor: Actor.required({ sessionId: true }), tenantId: Id }).strict(),
    ]),
    reply: TokenPair,
  },
  'rpc.auth.jwks': { request: z.object({}).strict(), reply: z.object({ keys: z.array(PublicJwk) }) },
  'rpc.auth.tokens.verifyAccess': { request: z.object({ token: Jwt }).strict(), reply: AccessClaims },
  'rpc.auth.tenants.list': {
    request: z.object({ actor: Actor }).strict(),
    reply: z.object({ items: z.array(Tenant) }),
  },
  'rpc.auth.tenants.create': {
    request: z.object({ actor: Actor, slug: TenantSlug, name: z.string().trim().min(1).max(200) }).strict(),
    reply: z.object({ tenant: Tenant, invitation: Invitation }),
  },
  'rpc.auth.invitations.accept': {
    request: z.object({ token: OpaqueToken, email: Email, password: Password }).strict(),
    reply: z.object({ tenant: TenantRef, user: UserView }),
  },
  'rpc.auth.users.list': {
    request: z
      .object({
        actor: Actor,
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().max(300).optional(),
      })
      .strict(),
    reply: z.object({ items: z.array(UserView), nextCursor: z.string().nullable() }),
  },
  'rpc.auth.users.get': { request: z.object({ actor: Actor, userId: Id }).strict(), reply: UserView },
  'rpc.auth.users.create': {
    request: z.object({ actor: Actor, email: Email, role: Role, password: Password.optional() }).strict(),
    reply: z.object({ user: UserView, temporaryPassword: z.string().nullable() }),
  },
  'rpc.auth.users.update': {
    request: z
      .object({ actor: Actor, userId: Id, role: Role.optional(), status: UserView.shape.status.optional() })
      .strict(),
    reply: UserView,
  },
  'rpc.auth.users.delete': { request: z.object({ actor: Actor, userId: Id }).strict(), reply: Done },
  'rpc.auth.users.resetPassword': {
    request: z.object({ actor: Actor, userId: Id }).strict(),
    reply: OneTimePassword,
  },
  'rpc.auth.users.changePassword': {
    request: z.object({ email: Email, currentPassword: Password, newPassword: Password }).strict(),
    reply: Done,
  },
} as const;
