import { randomUUID } from 'node:crypto';

import { AUTH_ERROR_CODES, SERVICE_NAMES, type ServiceName } from '@optralis/contracts';
import type { RpcError } from '@optralis/nats';

import { ProblemError, type ValidationIssue } from '../http/problem';
import { errorStatusOf } from './error-statuses';

/** Seconds a client should wait before retrying a call whose service did not answer. */
const RETRY_AFTER_SECONDS = 5;

export function serviceOfSubject(subject: string): ServiceName {
  const service = subject.split('.')[1];
  return (SERVICE_NAMES as readonly string[]).includes(service) ? (service as ServiceName) : 'gateway';
}

/**
 * The problem a failed `rpc.<service>.*` call becomes. `unexpected` is true when the code is in no table,
 * or the service failed internally: the caller logs those with their `errorId`.
 */
export function problemOfRpcError(
  subject: string,
  error: RpcError,
): { problem: ProblemError; unexpected: boolean } {
  const service = serviceOfSubject(subject);
  if (error.code === 'timeout' || error.code === 'unavailable') {
    const problem = new ProblemError({
      status: 504,
      title: `${service} did not answer`,
      code: error.code,
      detail: error.message,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
    return { problem, unexpected: false };
  }
  if (error.code === 'internal') {
    const problem = new ProblemError({
      status: 502,
      title: `${service} failed`,
      code: 'internal',
      detail: `${service} could not complete the request; quote the errorId`,
      errorId: error.errorId ?? randomUUID(),
    });
    return { problem, unexpected: true };
  }
  const mapped = errorStatusOf(service, error.code);
  if (!mapped) return { problem: ProblemError.internal(randomUUID()), unexpected: true };
  const problem = new ProblemError({
    status: mapped.status,
    title: mapped.title,
    code: error.code,
    detail: error.message,
    errors: error.code === 'invalid_request' ? issuesOf(error.details) : undefined,
    extensions: extensionsOf(error),
    headers: error.code === 'rate_limited' ? { 'Retry-After': '60' } : undefined,
  });
  return { problem, unexpected: false };
}

/** Only details known to be safe for the caller leave the gateway. */
function extensionsOf(error: RpcError): Record<string, unknown> | undefined {
  const details = error.details as { tenants?: unknown } | undefined;
  if (
    (error.code as string) === AUTH_ERROR_CODES.tenantSelectionRequired &&
    Array.isArray(details?.tenants)
  ) {
    return { tenants: details.tenants };
  }
  return undefined;
}

/** zod issues as sent by the RPC server (`[...]`), or a service's own `{ issues: [...] }` (alerting). */
function issuesOf(details: unknown): ValidationIssue[] | undefined {
  const list = Array.isArray(details) ? details : (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(list)) return undefined;
  return list
    .filter((issue): issue is { path?: unknown; message?: unknown } => typeof issue === 'object' && !!issue)
    .map((issue) => ({
      in: 'body' as const,
      path: Array.isArray(issue.path)
        ? issue.path.map(String).join('.')
        : typeof issue.path === 'string'
          ? issue.path
          : '',
      message: typeof issue.message === 'string' ? issue.message : 'invalid',
    }));
}
