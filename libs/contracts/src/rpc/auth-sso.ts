import { z } from 'zod';

import { IsoTime } from '../schemas/common';
import { Actor, TokenPair } from './auth-identity';

const Id = z.uuid();
/** Roles an identity provider may grant; owners are only ever made by invitation. */
export const SSO_ROLES = ['admin', 'editor', 'observer'] as const;
export const SsoRole = z.enum(SSO_ROLES);
const WebUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com');
const ClaimName = z.string().trim().min(1).max(256);
const RoleMap = z
  .record(z.string().min(1).max(256), SsoRole)
  .refine((map) => Object.keys(map).length <= 200, 'at most 200 entries');
const ScopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'must be a scope token');
const Pem = z.string().trim().min(16).max(16_384);

export const OidcProviderConfig = z
  .object({
    issuer: WebUrl,
    clientId: z.string().min(1).max(512),
    clientSecret: z.string().min(1).max(4096),
    scopes: z
      .array(ScopeToken)
      .min(1)
      .max(30)
      .default(['openid', 'email', 'profile'])
      .refine((scopes) => scopes.includes('openid'), 'must include openid'),
    roleClaim: ClaimName.optional(),
    roleMap: RoleMap.default({}),
    /** Null refuses users none of whose claim values is in `roleMap`. */
    defaultRole: SsoRole.nullable().default('observer'),
    allowedDomains: z.array(Domain).max(100).default([]),
  })
  .strict();
export type OidcProviderConfig = z.output<typeof OidcProviderConfig>;

export const SamlProviderConfig = z
  .object({
    entryPoint: WebUrl,
    idpCert: Pem,
    idpIssuer: z.string().min(1).max(1024).optional(),
    roleAttribute: ClaimName.optional(),
    roleMap: RoleMap.default({}),
    defaultRole: SsoRole.nullable().default('observer'),
    allowedDomains: z.array(Domain).max(100).default([]),
  })
  .strict();
export type SamlProviderConfig = z.output<typeof SamlProviderConfig>;

const ProviderName = z.string().trim().min(1).max(100);

/** A provider as answered: the client secret never leaves the service. */
export const SsoProviderView = z.object({
  id: Id,
  tenantId: Id,
  name: z.string(),
  type: z.enum(['oidc', 'saml']),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  /** Where the IdP sends the user back: the OIDC redirect URI or the SAML ACS URL. */
  callbackUrl: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type SsoProviderView = z.infer<typeof SsoProviderView>;

const ProviderRef = z.object({ actor: Actor, providerId: Id }).strict();

/** `rpc.auth.ssoProviders.*`, `rpc.auth.oidc.*` and `rpc.auth.saml.*`. */
export const authSsoRpc = {
  'rpc.auth.ssoProviders.create': {
    request: z.discriminatedUnion('type', [
      z
        .object({
          actor: Actor,
          name: ProviderName,
          type: z.literal('oidc'),
          config: OidcProviderConfig,
          enabled: z.boolean().default(true),
        })
        .strict(),
      z
        .object({
          actor: Actor,
          name: ProviderName,
          type: z.literal('saml'),
          config: SamlProviderConfig,
          enabled: z.boolean().default(true),
        })
        .strict(),
    ]),
    reply: SsoProviderView,
  },
  'rpc.auth.ssoProviders.list': {
    request: z.object({ actor: Actor }).strict(),
    reply: z.object({ items: z.array(SsoProviderView) }),
  },
  'rpc.auth.ssoProviders.get': { request: ProviderRef, reply: SsoProviderView },
  'rpc.auth.ssoProviders.update': {
    request: z
      .object({
        actor: Actor,
        providerId: Id,
        name: ProviderName.optional(),
        enabled: z.boolean().optional(),
        /** Merged into the stored config and checked again; an absent clientSecret keeps the stored one. */
        config: z.record(z.string().max(64), z.unknown()).optional(),
      })
      .strict(),
    reply: SsoProviderView,
  },
  'rpc.auth.ssoProviders.delete': {
    request: ProviderRef,
    reply: z.object({ done: z.literal(true) }),
  },
  'rpc.auth.oidc.begin': {
    request: z.object({ providerId: Id, redirectUri: WebUrl }).strict(),
    reply: z.object({ authorizationUrl: z.string(), state: z.string() }),
  },
  'rpc.auth.oidc.complete': {
    request: z.object({ providerId: Id, callbackUrl: z.string().min(1).max(8192) }).strict(),
    reply: TokenPair,
  },
  'rpc.auth.saml.metadata': {
    request: z.object({ providerId: Id }).strict(),
    reply: z.object({ xml: z.string() }),
  },
  'rpc.auth.saml.begin': {
    request: z.object({ providerId: Id, relayState: z.string().max(1024).optional() }).strict(),
    reply: z.object({ redirectUrl: z.string() }),
  },
  'rpc.auth.saml.acs': {
    request: z
      .object({
        providerId: Id,
        samlResponse: z
          .string()
          .min(1)
          .max(512 * 1024),
        relayState: z.string().max(1024).optional(),
      })
      .strict(),
    /** `relayState` is the one stored by `begin` for this request, never the posted one. */
    reply: TokenPair.extend({ relayState: z.string().optional() }),
  },
} as const;
