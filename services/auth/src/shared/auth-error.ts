/** A coded failure of an identity capability; the RPC edge turns it into an RpcError with the same code. */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const CommonErrorCode = {
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  InvalidRequest: 'invalid_request',
} as const;
