import type { EncodedBody } from './encoded-body';

/** How ingest answered one report. */
export type DeliveryOutcome =
  | { kind: 'delivered'; accepted: number; duplicates: number }
  /** Try again later; `retryAfterMs` when the server said how long to wait. */
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number }
  /** The report itself is refused (400, 413, …): sending it again cannot succeed. */
  | { kind: 'rejected'; reason: string; status: number }
  /** The ingest token is refused: keep the reports, someone has to fix the token. */
  | { kind: 'unauthorized'; reason: string; status: number };

export interface ReportSender {
  /** Sends `body` as it is (the bytes the spool stores), labelled with its encoding; never throws. */
  send(body: EncodedBody, signal?: AbortSignal): Promise<DeliveryOutcome>;
}
