/** The last reading of a set of counters and when it was taken, to turn the next one into rates. */
export class PreviousReading<T> {
  private last?: { time: number; value: T };

  /**
   * Keeps `value` as the latest reading and returns the one before it with the seconds between them.
   * Undefined on the first reading and when the clock did not move forward: that interval is skipped.
   */
  swap(time: number, value: T): { previous: T; seconds: number } | undefined {
    const last = this.last;
    this.last = { time, value };
    if (!last || !(time > last.time)) return undefined;
    return { previous: last.value, seconds: (time - last.time) / 1000 };
  }
}

/**
 * Per-second increase of a counter. A counter that went down was reset or wrapped; the real increase
 * is unknown either way, so that interval gives no rate rather than a wrong one.
 */
export function counterRate(previous: number, current: number, seconds: number): number | undefined {
  if (!(seconds > 0) || !(current >= previous)) return undefined;
  return (current - previous) / seconds;
}

/** True when no counter of a reading went down since the previous one. */
export function noneWentDown(previous: readonly number[], current: readonly number[]): boolean {
  return current.every((value, index) => value >= (previous[index] ?? 0));
}
