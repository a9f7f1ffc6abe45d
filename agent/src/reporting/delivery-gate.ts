import { Backoff, type BackoffPolicy } from '../transport/backoff';
import type { DeliveryOutcome } from '../transport/delivery-outcome';
import type { Timer } from './timer';

export interface DeliveryGateOptions {
  timer: Timer;
  /** After a failed send (network, 5xx, 429 without Retry-After). Default 1 s doubling to 60 s. */
  failureBackoff?: BackoffPolicy;
  /** After 401/403: the token will not fix itself soon. Default 30 s doubling to 10 min. */
  unauthorizedBackoff?: BackoffPolicy;
  random?: () => number;
}

/** Which sender asks: live reports (one per interval) or the replay of the spool. */
export type DeliveryPath = 'live' | 'replay';

export const FAILURE_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };
export const UNAUTHORIZED_BACKOFF: BackoffPolicy = { initialMs: 30_000, maxMs: 10 * 60_000 };

/**
 * Whether ingest may be asked now, shared by live sends and replay: after a failure both wait out
 * the same backoff or Retry-After, and the first success opens it for both. A 429 to the replay is
 * ingest pacing the backlog, not ingest being away: only the replay waits, so the live report of
 * each interval still goes straight out instead of queueing behind the whole backlog.
 */
export class DeliveryGate {
  private backoffUntil = 0;
  /** Retry-After is the server's word: answers to requests already in flight do not cut it short. */
  private serverWaitUntil = 0;
  private replayWaitUntil = 0;
  private readonly failures: Backoff;
  private readonly refusals: Backoff;
  private readonly throttles: Backoff;

  constructor(private readonly options: DeliveryGateOptions) {
    this.failures = new Backoff(options.failureBackoff ?? FAILURE_BACKOFF, options.random);
    this.refusals = new Backoff(options.unauthorizedBackoff ?? UNAUTHORIZED_BACKOFF, options.random);
    this.throttles = new Backoff(options.failureBackoff ?? FAILURE_BACKOFF, options.random);
  }

  isOpen(path: DeliveryPath = 'live'): boolean {
    return this.waitMs(path) === 0;
  }

  waitMs(path: DeliveryPath = 'live'): number {
    const now = this.options.timer.monotonic();
    const shared = Math.max(0, this.backoffUntil - now, this.serverWaitUntil - now);
    return path === 'replay' ? Math.max(shared, this.replayWaitUntil - now) : shared;
  }

  /** Applies an outcome of a send on `path`; returns how long that path is now closed (0 when open). */
  record(outcome: DeliveryOutcome, path: DeliveryPath = 'live'): number {
    const now = this.options.timer.monotonic();
    if (path === 'replay' && isThrottled(outcome)) {
      const waitMs = outcome.retryAfterMs ?? (this.waitMs(path) === 0 ? this.throttles.next() : 0);
      this.replayWaitUntil = Math.max(this.replayWaitUntil, now + waitMs);
      return this.waitMs(path);
    }
    if (outcome.kind === 'delivered' || outcome.kind === 'rejected') {
      this.failures.reset();
      this.refusals.reset();
      this.backoffUntil = 0;
      if (path === 'replay') this.throttles.reset();
    } else if (outcome.kind === 'retry' && outcome.retryAfterMs !== undefined) {
      this.serverWaitUntil = Math.max(this.serverWaitUntil, now + outcome.retryAfterMs);
    } else if (this.isOpen()) {
      // Requests already in flight when the gate closed fail too: they must not grow the backoff again.
      const backoff = outcome.kind === 'unauthorized' ? this.refusals : this.failures;
      this.backoffUntil = now + backoff.next();
    }
    return this.waitMs(path);
  }
}

/** 429: ingest rate-limits this token. */
export function isThrottled(
  outcome: DeliveryOutcome,
): outcome is Extract<DeliveryOutcome, { kind: 'retry' }> & { status: 429 } {
  return outcome.kind === 'retry' && outcome.status === 429;
}
