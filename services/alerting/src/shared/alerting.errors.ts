import { ALERTING_ERROR_CODES } from '@optralis/contracts';
import { RpcError } from '@optralis/nats';
import { z } from 'zod';

export const AlertingErrorCode = {
  ...ALERTING_ERROR_CODES,
  invalidRequest: 'invalid_request',
  forbidden: 'forbidden',
} as const;
export type AlertingErrorCode = (typeof AlertingErrorCode)[keyof typeof AlertingErrorCode];

/** A coded failure of an alerting capability; the RPC edge turns it into an RpcError with the same code. */
export class AlertingError extends Error {
  constructor(
    readonly code: AlertingErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AlertingError';
  }
}

export function invalid(message: string, details?: unknown): AlertingError {
  return new AlertingError(AlertingErrorCode.invalidRequest, message, details);
}

/** A zod failure as `invalid_request`, naming the first bad field. */
export function invalidFromZod(error: z.ZodError, prefix = ''): AlertingError {
  const issues = error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  return invalid(first ? `${first.path || 'request'}: ${first.message}` : 'invalid request', { issues });
}

/** Runs an RPC handler body, mapping AlertingError to RpcError; anything else stays unexpected. */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AlertingError) throw new RpcError(error.code, error.message, error.details);
    throw error;
  }
}
