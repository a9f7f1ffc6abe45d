import { INGEST_ERROR_CODES } from '@optralis/contracts';

export const QueryErrorCode = {
  HostNotFound: INGEST_ERROR_CODES.hostNotFound,
  InvalidRange: INGEST_ERROR_CODES.invalidRange,
  TooManyExportSeries: INGEST_ERROR_CODES.tooManySeries,
  TooManySeries: 'metrics.too_many_series',
  InvalidRequest: 'invalid_request',
} as const;
export type QueryErrorCode = (typeof QueryErrorCode)[keyof typeof QueryErrorCode];

/** A coded failure of a metric query; the RPC edge turns it into an RpcError with the same code. */
export class QueryError extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
