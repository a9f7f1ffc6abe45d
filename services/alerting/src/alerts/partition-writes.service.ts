import { Injectable, Logger } from '@nestjs/common';

import { DeliveryWaker } from '../shared/ports';
import type { AlertTransitionWrite } from './alert.types';
import { alertKey, AlertBook } from './alert-book';
import { AlertEventRelay } from './alert-event.relay';
import { AlertWriteQueue } from './alert-write-queue';
import { AlertsRepository } from './alerts.repository';

/** The longest flapping window a tenant may set (contracts: 86,400 s). */
const LONGEST_FLAP_WINDOW_MS = 86_400_000;

interface OwnedPartition {
  queue: AlertWriteQueue;
  /** Dedup keys committed past the checkpoint: replayed samples up to these sequences change nothing. */
  replayed: Map<string, number>;
}

/**
 * What the lifecycle needs per owned partition: its write queue, the replay positions found at takeover,
 * and the recent state changes of each dedup key (flapping), kept in memory so deciding needs no I/O.
 */
@Injectable()
export class PartitionWrites {
  private readonly logger = new Logger(PartitionWrites.name);
  private readonly owned = new Map<number, OwnedPartition>();
  private readonly changeTimes = new Map<string, number[]>();

  constructor(
    private readonly repository: AlertsRepository,
    private readonly book: AlertBook,
    private readonly relay: AlertEventRelay,
    private readonly deliveries: DeliveryWaker,
  ) {}

  /** Call after the partition's checkpoint and open alerts are loaded, before it is read. */
  async open(partition: number, checkpointSeq: number): Promise<void> {
    const replayed = await this.repository.positionsAfter(partition, checkpointSeq);
    const since = new Date(Date.now() - LONGEST_FLAP_WINDOW_MS);
    for (const change of await this.repository.transitionTimes(partition, since)) {
      this.recordChange(change.tenantId, change.dedupKey, change.time.getTime());
    }
    const queue = new AlertWriteQueue({
      write: (changes) => this.repository.writeMany(changes),
      committed: (changes, refused) => this.committed(changes, refused),
      logger: this.logger,
    });
    this.owned.get(partition)?.queue.close();
    this.owned.set(partition, { queue, replayed });
  }

  /** Gives the partition up: uncommitted changes are dropped, its next owner replays them. */
  close(partition: number): void {
    this.owned.get(partition)?.queue.close();
    this.owned.delete(partition);
  }

  async flush(partition: number): Promise<void> {
    await this.owned.get(partition)?.queue.flush();
  }

  alreadyApplied(partition: number, tenantId: string, dedupKey: string, streamSeq: number): boolean {
    const replayed = this.owned.get(partition)?.replayed;
    if (!replayed || replayed.size === 0) return false;
    const position = replayed.get(alertKey(tenantId, dedupKey));
    return position !== undefined && streamSeq <= position;
  }

  async enqueue(change: AlertTransitionWrite): Promise<void> {
    if (change.alert.state !== 'pending' && change.alert.state !== 'acknowledged') {
      this.recordChange(change.alert.tenantId, change.alert.dedupKey, change.time.getTime());
    }
    const owned = this.owned.get(change.alert.partition);
    if (owned) return owned.queue.enqueue(change);
    // Not a partition read here (a sweep racing a lost lease): write it through.
    const refused = await this.repository.writeMany([change]);
    this.committed([change], refused);
  }

  changesSince(tenantId: string, dedupKey: string, since: number): number {
    const times = this.changeTimes.get(alertKey(tenantId, dedupKey));
    return times ? times.filter((time) => time >= since).length : 0;
  }

  /** Forgets changes older than the longest window (run with the checkpoints). */
  prune(now = Date.now()): void {
    const oldest = now - LONGEST_FLAP_WINDOW_MS;
    for (const [key, times] of this.changeTimes) {
      const kept = times.filter((time) => time >= oldest);
      if (kept.length === 0) this.changeTimes.delete(key);
      else if (kept.length < times.length) this.changeTimes.set(key, kept);
    }
  }

  pendingWrites(): number {
    let pending = 0;
    for (const { queue } of this.owned.values()) pending += queue.size;
    return pending;
  }

  private recordChange(tenantId: string, dedupKey: string, time: number): void {
    const key = alertKey(tenantId, dedupKey);
    const times = this.changeTimes.get(key);
    if (times) times.push(time);
    else this.changeTimes.set(key, [time]);
  }

  private committed(changes: AlertTransitionWrite[], refused: AlertTransitionWrite[]): void {
    this.relay.wake();
    if (changes.some((change) => change.notify || change.notifyPreviouslyNotified)) this.deliveries.wake();
    for (const change of refused) void this.repair(change);
  }

  /** A refused change was decided on a book that ran ahead of the database: reload that key's truth. */
  private async repair({ alert }: AlertTransitionWrite): Promise<void> {
    this.logger.warn({ tenantId: alert.tenantId, dedupKey: alert.dedupKey }, 'replayed change refused');
    try {
      const committed = await this.repository.openAlert(alert.tenantId, alert.dedupKey);
      if (committed) this.book.set(committed);
      else this.book.delete(alert.tenantId, alert.dedupKey);
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'book repair failed');
    }
  }
}
