/** What a JetStream handler decides; the transport alone settles the message (STYLE.md habit 3). */
export type Outcome =
  | { kind: 'done' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'retry'; reason: string; delayMs?: number }
  | { kind: 'reject'; reason: string };

export const Outcomes = {
  done: (): Outcome => ({ kind: 'done' }),
  skipped: (reason: string): Outcome => ({ kind: 'skipped', reason }),
  retry: (reason: string, delayMs?: number): Outcome => ({ kind: 'retry', reason, delayMs }),
  reject: (reason: string): Outcome => ({ kind: 'reject', reason }),
};

export function isOutcome(value: unknown): value is Outcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['done', 'skipped', 'retry', 'reject'].includes((value as { kind?: string }).kind ?? '')
  );
}

/** Exponential backoff with jitter for the n-th delivery (1-based). */
export function backoffDelay(delivery: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, delivery - 1));
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}
