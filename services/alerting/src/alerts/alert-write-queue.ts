import type { Logger } from '@nestjs/common';

import type { AlertTransitionWrite } from './alert.types';

export interface AlertWriteQueueDependencies {
  /** Commits changes in order in one transaction; answers those the database's replay guard refused. */
  write(changes: AlertTransitionWrite[]): Promise<AlertTransitionWrite[]>;
  /** Runs after each commit. */
  committed(changes: AlertTransitionWrite[], refused: AlertTransitionWrite[]): void;
  logger: Logger;
}

const BATCH_SIZE = 200;
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/**
 * One partition's lifecycle writes, committed in order behind evaluation: evaluation decides against the
 * in-memory book and goes on, while this queue commits whatever piled up meanwhile in one transaction.
 * A burst of alerts costs one commit per batch instead of one per alert. A failing database is retried
 * forever with backoff; evaluation waits once `limit` changes are pending. The partition's checkpoint is
 * written only after `flush()`, so no saved state runs ahead of the committed alerts.
 */
export class AlertWriteQueue {
  private readonly pending: AlertTransitionWrite[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private running?: Promise<void>;
  private closed = false;

  constructor(
    private readonly dependencies: AlertWriteQueueDependencies,
    private readonly limit = 5_000,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** Resolves at once unless the queue is full, then once there is room. */
  enqueue(change: AlertTransitionWrite): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending.push(change);
    this.start();
    if (this.pending.length < this.limit) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when everything enqueued so far is committed. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops what is not committed (the partition was lost; its new owner replays from the checkpoint). */
  close(): void {
    this.closed = true;
    this.pending.length = 0;
    this.releaseWaiters();
  }

  private start(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.pending.length > 0 && !this.closed) this.start();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const batch = this.pending.slice(0, BATCH_SIZE);
      const refused = await this.writeUntilDone(batch);
      if (refused === undefined) return;
      this.pending.splice(0, batch.length);
      this.dependencies.committed(batch, refused);
      if (this.pending.length < this.limit) this.releaseWaiters();
    }
  }

  private async writeUntilDone(batch: AlertTransitionWrite[]): Promise<AlertTransitionWrite[] | undefined> {
    let delay = FIRST_RETRY_MS;
    while (!this.closed) {
      try {
        return await this.dependencies.write(batch);
      } catch (error) {
        this.dependencies.logger.warn(
          { changes: batch.length, error: (error as Error).message, retryInMs: delay },
          'alert changes not committed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, LAST_RETRY_MS);
      }
    }
    return undefined;
  }

  private releaseWaiters(): void {
    for (const release of this.roomWaiters.splice(0)) release();
  }
}
