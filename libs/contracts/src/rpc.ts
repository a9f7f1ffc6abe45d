import { z } from 'zod';

import { authIdentityRpc } from './rpc/auth-identity';
import { authSsoRpc } from './rpc/auth-sso';
import { authMfaRpc } from './rpc/auth-mfa';
import { authTokensRpc } from './rpc/auth-tokens';
import { alertingAlertsRpc } from './rpc/alerting-alerts';
import { alertingChannelsRpc } from './rpc/alerting-channels';
import { alertingPoliciesRpc } from './rpc/alerting-policies';
import { alertingRulesRpc } from './rpc/alerting-rules';
import { ingestRpc } from './rpc/ingest';
import { statusPageRpc } from './rpc/status-page';
import { SERVICE_NAMES, type ServiceName } from './services';

export const RPC_ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'timeout',
  'internal',
] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

export const RpcErrorBody = z.object({
  /** One of RPC_ERROR_CODES, or a capability's own code such as `rule.not_found`. */
  code: z.string().min(1).max(100),
  message: z.string().max(4000),
  details: z.unknown().optional(),
  errorId: z.string().max(100).optional(),
});
export type RpcErrorBody = z.infer<typeof RpcErrorBody>;

/** Every reply on `rpc.*` is this envelope, so a caller can tell a failure from data. */
export const RpcReplyEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: RpcErrorBody }),
]);
export type RpcReplyEnvelope = z.infer<typeof RpcReplyEnvelope>;

export const PingRequest = z.object({}).strict();
export const PingReply = z.object({
  service: z.enum(SERVICE_NAMES),
  version: z.string(),
  instanceId: z.string(),
  uptimeSeconds: z.number().nonnegative(),
});
export type PingReply = z.infer<typeof PingReply>;

const ping = { request: PingRequest, reply: PingReply } as const;

/** Every request/reply method: subject → request and reply schemas. */
export const rpcMethods = {
  'rpc.gateway.ping': ping,
  'rpc.ingest.ping': ping,
  'rpc.auth.ping': ping,
  'rpc.alerting.ping': ping,
  'rpc.reports.ping': ping,
  'rpc.ai.ping': ping,
  ...authIdentityRpc,
  ...authTokensRpc,
  ...authMfaRpc,
  ...authSsoRpc,
  ...ingestRpc,
  ...alertingRulesRpc,
  ...alertingChannelsRpc,
  ...alertingPoliciesRpc,
  ...alertingAlertsRpc,
  ...statusPageRpc,
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;

export type RpcSubject = keyof typeof rpcMethods;
export type RequestOf<S extends RpcSubject> = z.input<(typeof rpcMethods)[S]['request']>;
export type ParsedRequestOf<S extends RpcSubject> = z.output<(typeof rpcMethods)[S]['request']>;
export type ReplyOf<S extends RpcSubject> = z.output<(typeof rpcMethods)[S]['reply']>;

export function pingSubject<S extends ServiceName>(service: S): `rpc.${S}.ping` {
  return `rpc.${service}.ping`;
}

export function isRpcSubject(subject: string): subject is RpcSubject {
  return Object.prototype.hasOwnProperty.call(rpcMethods, subject);
}
