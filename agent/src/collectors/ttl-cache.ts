/**
 * Keeps a slow value (an external command's parsed output) for as long as `ttlOf` says, on the
 * collector's clock. A clock that went backwards expires it, so nothing is kept longer than meant.
 */
export class TtlCache<T> {
  private entry?: { at: number; ttlMs: number; value: T };

  constructor(
    private readonly now: () => number,
    private readonly ttlOf: (value: T) => number,
  ) {}

  async get(load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const entry = this.entry;
    if (entry && now >= entry.at && now - entry.at < entry.ttlMs) return entry.value;
    const value = await load();
    this.entry = { at: now, ttlMs: this.ttlOf(value), value };
    return value;
  }
}

/**
 * How long to trust a command's answer: `everyMs` when it answered, ten minutes when it is missing
 * or failed. Starting a process costs the agent a few milliseconds even when the command does not
 * exist, and hosts rarely gain nvidia-smi or systemd while running.
 */
export function commandTtl(everyMs: number): (answer: unknown) => number {
  return (answer) => (answer === undefined ? 600_000 : everyMs);
}
