import type { RpcErrorBody, RpcErrorCode } from '@optralis/contracts';

/** An error that crosses NATS intact: services throw it, the caller gets the same code back. */
export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode | `${string}.${string}`,
    message: string,
    readonly details?: unknown,
    readonly errorId?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toBody(): RpcErrorBody {
    return { code: this.code, message: this.message, details: this.details, errorId: this.errorId };
  }

  static fromBody(body: RpcErrorBody): RpcError {
    return new RpcError(body.code as RpcErrorCode, body.message, body.details, body.errorId);
  }
}
