export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before attempt `attempt + 1`: base × 2^(attempt − 1), capped, then drawn from its upper half
 * so instances that failed together do not retry together.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
