/** Time for scheduling: monotonic, so a wall clock set back or forward does not stall or rush the loop. */
export interface Timer {
  monotonic(): number;
  /** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemTimer: Timer = {
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(handle);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const handle = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** A sleep that another part can cut short: the replayer waits on it until there is work. */
export class Wakeup {
  private pending = false;
  private controller: AbortController | undefined;

  constructor(private readonly timer: Timer) {}

  wake(): void {
    this.pending = true;
    this.controller?.abort();
  }

  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (!this.pending && !signal.aborted) {
      // Not AbortSignal.any: composites of a long-lived signal leak on Node 20.
      const controller = new AbortController();
      const stop = () => controller.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.controller = controller;
      try {
        await this.timer.sleep(ms, controller.signal);
      } finally {
        this.controller = undefined;
        signal.removeEventListener('abort', stop);
      }
    }
    this.pending = false;
  }
}
