import { z } from 'zod';

import { AuditEvent } from '../schemas/audit-event';
import { IsoTime, TenantIdSchema } from '../schemas/common';

/** Highest first; an actor may hand out its own role or a lower one. */
export const TOKEN_ROLES = ['owner', 'admin', 'editor', 'observer'] as const;
export const TokenRole = z.enum(TOKEN_ROLES);
export type TokenRole = z.infer<typeof TokenRole>;

/** `opt_api_<8 id chars>_<48 hex>`: the part before the last `_` is the prefix stored in clear. */
export const API_TOKEN_PATTERN = /^opt_api_[a-z0-9]{8}_[0-9a-f]{48}$/;
export const INGEST_TOKEN_PATTERN = /^opt_ing_[a-z0-9]{8}_[0-9a-f]{48}$/;
export const TOKEN_PREFIX_PATTERN = /^opt_(api|ing)_[a-z0-9]{8}$/;

/** Who asks: the gateway fills it from the caller's access token, never from the request body. */
export const TokenActor = z
  .object({
    userId: z.string().min(1).max(200),
    tenantId: TenantIdSchema,
    role: TokenRole,
    sessionId: z.string().max(200).optional(),
  })
  .strict();
export type TokenActor = z.infer<typeof TokenActor>;

const TokenName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(
    (value) => ![...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  );
const TokenId = z.uuid();
const Expiry = IsoTime.nullable()
  .default(null)
  .refine((value) => value === null || Date.parse(value) > Date.now(), 'must be in the future');

export const ApiTokenSummary = z.object({
  id: TokenId,
  name: z.string(),
  role: TokenRole,
  prefix: z.string(),
  createdAt: IsoTime,
  createdBy: z.string(),
  expiresAt: IsoTime.nullable(),
  lastUsedAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export type ApiTokenSummary = z.infer<typeof ApiTokenSummary>;

export const IngestTokenSummary = ApiTokenSummary.omit({ role: true, expiresAt: true });
export type IngestTokenSummary = z.infer<typeof IngestTokenSummary>;

const ListRequest = z.object({ actor: TokenActor, includeRevoked: z.boolean().default(false) }).strict();
const RevokeRequest = z.object({ actor: TokenActor, id: TokenId }).strict();
const RevokeReply = z.object({ id: TokenId, revokedAt: IsoTime });

export const AuditActorFilter = z.object({
  type: AuditEvent.shape.actor.shape.type.optional(),
  id: z.string().max(200),
});

export const AuditEntry = AuditEvent.extend({
  seq: z.number().int().positive(),
  target: AuditEvent.shape.target.nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `rpc.auth.*` methods of API tokens, ingest tokens and the audit journal. */
export const authTokensRpc = {
  'rpc.auth.apiTokens.create': {
    request: z.object({ actor: TokenActor, name: TokenName, role: TokenRole, expiresAt: Expiry }).strict(),
    reply: ApiTokenSummary.extend({ token: z.string().regex(API_TOKEN_PATTERN) }),
  },
  'rpc.auth.apiTokens.list': {
    request: ListRequest,
    reply: z.object({ items: z.array(ApiTokenSummary) }),
  },
  'rpc.auth.apiTokens.revoke': { request: RevokeRequest, reply: RevokeReply },
  'rpc.auth.ingestTokens.create': {
    request: z.object({ actor: TokenActor, name: TokenName }).strict(),
    reply: IngestTokenSummary.extend({ token: z.string().regex(INGEST_TOKEN_PATTERN) }),
  },
  'rpc.auth.ingestTokens.list': {
    request: ListRequest,
    reply: z.object({ items: z.array(IngestTokenSummary) }),
  },
  'rpc.auth.ingestTokens.revoke': { request: RevokeRequest, reply: RevokeReply },
  'rpc.auth.tokens.verify': {
    request: z.object({ token: z.string().min(1).max(256) }).strict(),
    reply: z.object({
      kind: z.enum(['api', 'ingest']),
      tenantId: TenantIdSchema,
      tokenId: TokenId,
      role: TokenRole.optional(),
      name: z.string(),
    }),
  },
  'rpc.auth.audit.list': {
    request: z
      .object({
        actor: TokenActor,
        filter: z
          .object({
            actor: AuditActorFilter.optional(),
            action: z.string().min(1).max(200).optional(),
            from: IsoTime.optional(),
            to: IsoTime.optional(),
          })
          .strict()
          .default({}),
        limit: z.number().int().min(1).max(500).default(50),
        cursor: z
          .string()
          .regex(/^\d{1,19}$/)
          .optional(),
      })
      .strict(),
    reply: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }),
  },
  'rpc.auth.audit.verify': {
    request: z.object({ tenantId: TenantIdSchema, actor: TokenActor.optional() }).strict(),
    reply: z.object({
      ok: z.boolean(),
      checked: z.number().int().nonnegative(),
      brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
    }),
  },
} as const;
