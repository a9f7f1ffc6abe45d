import {
  ALERTING_ERROR_CODES,
  AUTH_ERROR_CODES,
  INGEST_ERROR_CODES,
  type RpcErrorCode,
  type ServiceName,
} from '@optralis/contracts';

export interface ErrorStatus {
  status: number;
  title: string;
}

type CodeOf<Table> = Table[keyof Table] & string;

/** Codes every service may answer (libs/contracts RPC_ERROR_CODES); timeouts and internals are special-cased. */
export const GENERIC_ERROR_STATUSES: Record<
  Exclude<RpcErrorCode, 'timeout' | 'unavailable' | 'internal'>,
  ErrorStatus
> = {
  invalid_request: { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  rate_limited: { status: 429, title: 'Too many requests' },
};

const refused = (title: string): ErrorStatus => ({ status: 403, title });

export const AUTH_ERROR_STATUSES: Record<CodeOf<typeof AUTH_ERROR_CODES>, ErrorStatus> = {
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  weak_password: { status: 400, title: 'Weak password' },
  invitation_invalid: { status: 400, title: 'Invalid invitation' },
  tenant_selection_required: { status: 409, title: 'Tenant selection required' },
  token_invalid: { status: 401, title: 'Invalid token' },
  token_expired: { status: 401, title: 'Token expired' },
  mfa_invalid_code: { status: 401, title: 'Invalid MFA code' },
  mfa_not_enrolled: { status: 409, title: 'MFA not enrolled' },
  mfa_already_enabled: { status: 409, title: 'MFA already enabled' },
  'audit.invalid_event': { status: 400, title: 'Invalid audit event' },
  'sso.state_invalid': { status: 400, title: 'Invalid or expired sign-in state' },
  'sso.idp_error': { status: 401, title: 'Identity provider refused the sign-in' },
  'sso.token_rejected': { status: 401, title: 'Identity provider rejected the code' },
  'sso.assertion_invalid': { status: 401, title: 'Invalid identity assertion' },
  'sso.email_missing': refused('Identity provider sent no email'),
  'sso.email_unverified': refused('Email not verified'),
  'sso.domain_not_allowed': refused('Email domain not allowed'),
  'sso.role_unmapped': refused('No role for this user'),
  'sso.user_disabled': refused('User disabled'),
  'sso.provider_unavailable': { status: 502, title: 'Identity provider unreachable' },
};

const tooLarge = (title: string): ErrorStatus => ({ status: 422, title });

export const INGEST_ERROR_STATUSES: Record<CodeOf<typeof INGEST_ERROR_CODES>, ErrorStatus> = {
  'host.not_found': { status: 404, title: 'Host not found' },
  'export.too_many_series': tooLarge('Too many series'),
  'metrics.invalid_range': { status: 400, title: 'Invalid time range' },
  'metrics.too_many_series': tooLarge('Too many series'),
  reply_too_large: tooLarge('Answer too large: ask for less'),
};

const notFound = (title: string): ErrorStatus => ({ status: 404, title });

export const ALERTING_ERROR_STATUSES: Record<CodeOf<typeof ALERTING_ERROR_CODES>, ErrorStatus> = {
  'rule.not_found': notFound('Alert rule not found'),
  'channel.not_found': notFound('Channel not found'),
  'maintenance_window.not_found': notFound('Maintenance window not found'),
  'escalation_policy.not_found': notFound('Escalation policy not found'),
  'alert.not_found': notFound('Alert not found'),
  'alert.already_resolved': { status: 409, title: 'Alert already resolved' },
  'channel.unsafe_url': { status: 400, title: 'Unsafe channel URL' },
  'channel.in_use': { status: 409, title: 'Channel in use' },
  'escalation_policy.in_use': { status: 409, title: 'Escalation policy in use' },
};

/** One table per service; a service's own codes win over the generic ones. Reports and AI add theirs here. */
export const SERVICE_ERROR_STATUSES: Record<ServiceName, Readonly<Record<string, ErrorStatus>>> = {
  auth: AUTH_ERROR_STATUSES,
  ingest: INGEST_ERROR_STATUSES,
  alerting: ALERTING_ERROR_STATUSES,
  reports: {},
  ai: {},
  gateway: {},
};

export function errorStatusOf(service: ServiceName, code: string): ErrorStatus | undefined {
  return (
    SERVICE_ERROR_STATUSES[service][code] ??
    (GENERIC_ERROR_STATUSES as Readonly<Record<string, ErrorStatus>>)[code]
  );
}
