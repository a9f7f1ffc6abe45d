import { INGEST_ERROR_CODES } from '@optralis/contracts';

export const HostErrorCode = {
  NotFound: INGEST_ERROR_CODES.hostNotFound,
  Forbidden: 'forbidden',
  InvalidRequest: 'invalid_request',
} as const;
export type HostErrorCode = (typeof HostErrorCode)[keyof typeof HostErrorCode];

/** A coded failure of the host registry; the RPC edge turns it into an RpcError with the same code. */
export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export function hostNotFound(hostId: string): HostError {
  return new HostError(HostErrorCode.NotFound, `host ${hostId} was not found`);
}
