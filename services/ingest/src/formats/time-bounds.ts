import type { NormaliseContext } from './normalise';

const SECONDS_PER_DAY = 86_400;

/** The accepted window of sample timestamps for one request, in epoch milliseconds. */
export class TimeBounds {
  readonly now: number;
  private readonly earliest: number;
  private readonly latest: number;

  constructor(private readonly context: NormaliseContext) {
    this.now = context.receivedAt.getTime();
    this.earliest = this.now - context.retentionSeconds * 1000;
    this.latest = this.now + context.maxFutureSeconds * 1000;
  }

  /** Why the timestamp is refused, or undefined when it is inside the window. */
  problem(milliseconds: number): string | undefined {
    if (milliseconds !== milliseconds) return 'timestamp is not a number';
    if (milliseconds > this.latest) {
      return `timestamp ${display(milliseconds)} is too far in the future (more than ${this.context.maxFutureSeconds} s ahead)`;
    }
    if (milliseconds < this.earliest) {
      return `timestamp ${display(milliseconds)} is older than the retention of ${days(this.context.retentionSeconds)}`;
    }
    return undefined;
  }
}

function display(milliseconds: number): string {
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? `${milliseconds} ms` : date.toISOString();
}

function days(seconds: number): string {
  const count = Math.round((seconds / SECONDS_PER_DAY) * 1000) / 1000;
  return count === 1 ? '1 day' : `${count} days`;
}
