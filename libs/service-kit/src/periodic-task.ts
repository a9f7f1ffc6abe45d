import type { Logger } from '@nestjs/common';
import { describeError } from '@optralis/db';

/**
 * Runs one job on an unref'd timer, never twice at once in this process: a run asked for while one is in
 * progress waits for it. A failed run is logged and the next tick tries again.
 */
export class PeriodicTask<T> {
  private timer?: NodeJS.Timeout;
  private tail: Promise<unknown> = Promise.resolve();
  private queued?: Promise<T>;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly job: () => Promise<T>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number, options: { immediately?: boolean } = {}): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => void this.trigger(), intervalMs);
    this.timer.unref();
    if (options.immediately) void this.trigger();
  }

  /** One more run after the current one; callers asking while it is still queued share it. Never rejects. */
  trigger(): Promise<T | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    this.queued ??= this.enqueue();
    return this.queued.catch((error: unknown) => {
      this.logger.warn({ task: this.name, reason: describeError(error) }, 'periodic task failed');
      return undefined;
    });
  }

  /** One run of its own (of `job`, by default the task's), after any in progress; rejects with its error. */
  runNow(job: () => Promise<T> = this.job): Promise<T> {
    const run = this.tail.then(() => job());
    this.tail = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  private enqueue(): Promise<T> {
    const run = this.tail.then(() => {
      this.queued = undefined;
      return this.job();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
