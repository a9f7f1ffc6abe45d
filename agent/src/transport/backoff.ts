export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt. Default 2. */
  multiplier?: number;
  /** Share of the delay that is random: 0.5 waits between half and all of it. Default 0.5. */
  jitter?: number;
}

/** The delay before retry number `attempt` (0 for the first): exponential, capped, jittered so agents that lost the server together do not return together. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const multiplier = policy.multiplier ?? 2;
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0.5));
  const base = Math.min(policy.maxMs, policy.initialMs * multiplier ** Math.min(attempt, 64));
  return Math.round(base * (1 - jitter + jitter * random()));
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const delay = backoffDelay(this.attempt, this.policy, this.random);
    this.attempt += 1;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
