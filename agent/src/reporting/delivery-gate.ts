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

export const FAILURE_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };
export const UNAUTHORIZED_BACKOFF: BackoffPolicy = { initialMs: 30_000, maxMs: 10 * 60_000 };

/**
 * Whether ingest may be asked now, shared by live sends and replay: after a failure both wait out
 * the same backoff or Retry-After, and the first success opens it for both.
 */
export class DeliveryGate {
  private backoffUntil = 0;
  /** Retry-After is the server's word: answers to requests already in flight do not cut it short. */
  private serverWaitUntil = 0;
  private readonly failures: Backoff;
  private readonly refusals: Backoff;

  constructor(private readonly options: DeliveryGateOptions) {
    this.failures = new Backoff(options.failureBackoff ?? FAILURE_BACKOFF, options.random);
    this.refusals = new Backoff(options.unauthorizedBackoff ?? UNAUTHORIZED_BACKOFF, options.random);
  }

  isOpen(): boolean {
    return this.waitMs() === 0;
  }

  waitMs(): number {
    return Math.max(
      0,
      this.backoffUntil - this.options.timer.monotonic(),
      this.serverWaitUntil - this.options.timer.monotonic(),
    );
  }

  /** Applies an outcome; returns how long the gate is now closed (0 when open). */
  record(outcome: DeliveryOutcome): number {
    const now = this.options.timer.monotonic();
    if (outcome.kind === 'delivered' || outcome.kind === 'rejected') {
      this.failures.reset();
      this.refusals.reset();
      this.backoffUntil = 0;
    } else if (outcome.kind === 'retry' && outcome.retryAfterMs !== undefined) {
      this.serverWaitUntil = Math.max(this.serverWaitUntil, now + outcome.retryAfterMs);
    } else if (this.isOpen()) {
      // Requests already in flight when the gate closed fail too: they must not grow the backoff again.
      const backoff = outcome.kind === 'unauthorized' ? this.refusals : this.failures;
      this.backoffUntil = now + backoff.next();
    }
    return this.waitMs();
  }
}
