import { type FileHandle, open } from 'node:fs/promises';

import { errorFields, type Logger, silentLogger } from '../reporting/logger';
import type { EncodedBody } from '../transport/encoded-body';
import { syncDirectory } from './atomic-file';
import { SerialQueue } from './serial-queue';
import { saveCursor } from './spool-cursor';
import { encodeRecord, parseRecords } from './spool-record';
import { type RecoveredSpool, recoverSpool } from './spool-recovery';
import {
  emptySegment,
  readRange,
  recordTimeAt,
  removeFile,
  type Segment,
  type WriteAt,
  writeFully,
} from './spool-segment';
import { type DropReason, SpoolCounters, type SpoolStats } from './spool-stats';
import {
  type AppendOutcome,
  SPOOL_DEFAULTS,
  type SpooledRecord,
  type SpoolOptions,
  type SpoolPosition,
} from './spool.types';

export type { AppendOutcome, SpooledRecord, SpoolOptions, SpoolPosition } from './spool.types';
export { SPOOL_DEFAULTS } from './spool.types';

/** Append-only, checksummed, segmented disk queue of reports waiting for ingest. */
export class Spool {
  private readonly counters = new SpoolCounters();
  private readonly queue = new SerialQueue();
  private writer: FileHandle | undefined;
  private closed = false;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly segmentBytes: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly writeAt: WriteAt;

  private readonly segments: Segment[];
  private readonly cursor: SpoolPosition;
  private nextIndex: number;
  private highWaterTime: number;

  private constructor(
    private readonly directory: string,
    state: RecoveredSpool,
    options: SpoolOptions,
  ) {
    this.segments = state.segments;
    this.cursor = state.cursor;
    this.nextIndex = state.nextIndex;
    this.highWaterTime = state.highWaterTime;
    this.maxBytes = options.maxBytes ?? SPOOL_DEFAULTS.maxBytes;
    this.maxAgeMs = options.maxAgeMs ?? SPOOL_DEFAULTS.maxAgeMs;
    this.segmentBytes = Math.max(
      1,
      Math.min(options.segmentBytes ?? SPOOL_DEFAULTS.segmentBytes, Math.floor(this.maxBytes / 4)),
    );
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.writeAt = options.writeAt ?? writeFully;
  }

  static async open(options: SpoolOptions): Promise<Spool> {
    const state = await recoverSpool(options.directory, options.logger ?? silentLogger);
    const spool = new Spool(options.directory, state, options);
    // A full disk must not keep the agent from starting; the cursor is saved again at the next acknowledgement.
    await spool
      .exclusive(() => spool.settleHead(true))
      .catch((error: unknown) => {
        spool.logger.warn('spool: could not save the cursor at open', errorFields(error));
      });
    return spool;
  }

  /** Stores one report's request body as it will be sent; 'dropped' when it cannot be written (disk full, larger than the spool). */
  append(body: EncodedBody): Promise<AppendOutcome> {
    return this.exclusive(async () => {
      const now = this.now();
      // Record times never go backwards, so the records past the age bound are always a prefix.
      const time = Math.max(now, this.highWaterTime);
      const frame = encodeRecord(body, time);
      if (frame.length > this.maxBytes) return this.dropAppend('size', { bytes: frame.length });
      try {
        await this.enforceAge(now);
        while (this.segments.length > 0 && this.bytes() + frame.length > this.maxBytes) {
          await this.dropHead('size');
        }
        const segment = await this.writableSegment(frame.length);
        try {
          await this.writeAt(this.writer!, frame, segment.size);
          await this.writer!.datasync();
        } catch (error) {
          await this.writer!.truncate(segment.size).catch(() => undefined);
          throw error;
        }
        segment.size += frame.length;
        segment.records += 1;
        segment.lastTime = time;
        segment.firstPendingTime ??= time;
        this.highWaterTime = time;
        return 'stored';
      } catch (error) {
        return this.dropAppend('write', errorFields(error));
      }
    });
  }

  /** Up to `limit` records from the oldest undelivered one, in order; records past the age bound or damaged are dropped here. */
  peek(options: { limit?: number; maxBytes?: number } = {}): Promise<SpooledRecord[]> {
    const limit = options.limit ?? 64;
    const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    return this.exclusive(async () => {
      await this.enforceAge(this.now());
      let chunkBytes = maxBytes;
      for (;;) {
        const head = this.segments[0];
        if (head === undefined) return [];
        if (this.cursor.offset >= head.size) {
          if (head === this.segments.at(-1)) return [];
          await this.settleHead(true);
          continue;
        }
        const to = Math.min(head.size, this.cursor.offset + chunkBytes);
        const read = await this.readHead(head, to, limit);
        if (read.records.length > 0) {
          head.firstPendingTime = read.records[0].time;
          if (read.moved) await saveCursor(this.directory, this.cursor);
          return read.records;
        }
        // A record longer than the chunk: read the rest of the segment once.
        chunkBytes = read.needMore ? head.size - this.cursor.offset : maxBytes;
        if (!read.needMore || read.moved) await this.settleHead(true);
      }
    });
  }

  /** Marks everything up to `position` delivered; a segment file goes once all of it is. */
  acknowledge(position: SpoolPosition): Promise<void> {
    return this.exclusive(async () => {
      const head = this.segments[0];
      if (head === undefined || position.segment !== head.index || position.offset <= this.cursor.offset)
        return;
      Object.assign(this.cursor, position);
      head.firstPendingTime =
        position.offset < head.size ? await recordTimeAt(head.path, position.offset) : undefined;
      await this.settleHead(true);
    });
  }

  /** Parses the head from the cursor to `to`; skips (and counts) expired and damaged records that come first. */
  private async readHead(
    head: Segment,
    to: number,
    limit: number,
  ): Promise<{ records: SpooledRecord[]; moved: boolean; needMore: boolean }> {
    const cutoff = this.ageCutoff(this.now());
    const chunk = await readRange(head.path, this.cursor.offset, to);
    const records: SpooledRecord[] = [];
    let ordinal = this.cursor.ordinal;
    let moved = false;
    for (const entry of parseRecords(chunk, this.cursor.offset)) {
      if (entry.kind === 'record') {
        ordinal += 1;
        const position = { segment: head.index, offset: entry.end, ordinal };
        if (records.length === 0 && entry.time < cutoff) {
          this.counters.drop('age', 1);
          Object.assign(this.cursor, position);
          moved = true;
          continue;
        }
        records.push({ body: entry.body, time: entry.time, position });
        if (records.length >= limit) break;
      } else if (records.length > 0) {
        break;
      } else if (entry.kind === 'incomplete' && to < head.size) {
        return { records, moved, needMore: true };
      } else {
        this.counters.drop('corrupt', 1);
        this.logger.warn('spool: skipped a damaged record', { index: head.index, offset: entry.offset });
        this.cursor.offset = entry.kind === 'corrupt' ? entry.end : head.size;
        moved = true;
      }
    }
    return { records, moved, needMore: false };
  }

  stats(): SpoolStats {
    const records = this.segments.reduce((sum, segment) => sum + segment.records, 0);
    return this.counters.stats({
      pendingReports: records - (this.segments.length > 0 ? this.cursor.ordinal : 0),
      bytes: this.bytes(),
      oldestRecordTime: this.segments.find((segment) => segment.firstPendingTime !== undefined)
        ?.firstPendingTime,
    });
  }

  close(): Promise<void> {
    if (this.closed) return this.queue.idle();
    return this.exclusive(async () => {
      this.closed = true;
      await this.closeWriter();
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) throw new Error('the spool is closed');
      return operation();
    });
  }

  private bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  private ageCutoff(now: number): number {
    // A wall clock set back must not keep everything forever: measure against the newest record instead.
    return Math.max(now, this.highWaterTime) - this.maxAgeMs;
  }

  /** Drops whole segments past the age bound; the one being written stays, so a clock jump cannot empty the spool. */
  private async enforceAge(now: number): Promise<void> {
    const cutoff = this.ageCutoff(now);
    while (this.segments.length > 1 && (this.segments[0].lastTime ?? Infinity) < cutoff) {
      await this.dropHead('age');
    }
  }

  private async dropHead(reason: DropReason): Promise<void> {
    const head = this.segments[0];
    const lost = head.records - this.cursor.ordinal;
    if (lost > 0) {
      this.counters.drop(reason, lost);
      this.logger.warn('spool: dropped the oldest segment', { reason, reports: lost, index: head.index });
    }
    this.cursor.offset = head.size;
    this.cursor.ordinal = head.records;
    if (this.segments.length === 1) await this.closeWriter();
    await this.settleHead(true, true);
  }

  /** Moves the cursor past fully delivered head segments, saves it, then deletes their files. */
  private async settleHead(save: boolean, force = false): Promise<void> {
    const finished: Segment[] = [];
    for (;;) {
      const head = this.segments[0];
      if (head === undefined || this.cursor.offset < head.size) break;
      const last = head === this.segments.at(-1);
      if (last && head.size === 0 && !force) break;
      finished.push(this.segments.shift()!);
      if (last) await this.closeWriter();
      Object.assign(this.cursor, {
        segment: this.segments[0]?.index ?? this.nextIndex,
        offset: 0,
        ordinal: 0,
      });
      force = false;
    }
    if (save || finished.length > 0) await saveCursor(this.directory, this.cursor);
    for (const segment of finished) await removeFile(segment.path);
  }

  private async writableSegment(frameBytes: number): Promise<Segment> {
    let last = this.segments.at(-1);
    if (last !== undefined && last.size > 0 && last.size + frameBytes > this.segmentBytes) {
      await this.closeWriter();
      last = undefined;
    }
    if (last !== undefined && this.writer !== undefined) return last;
    if (last === undefined) {
      last = emptySegment(this.directory, this.nextIndex);
      this.writer = await open(last.path, 'w');
      this.nextIndex += 1;
      this.segments.push(last);
      await syncDirectory(this.directory);
    } else {
      this.writer = await open(last.path, 'r+');
    }
    return last;
  }

  private async closeWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close();
  }

  private dropAppend(reason: DropReason, fields: Record<string, unknown>): AppendOutcome {
    this.counters.drop(reason, 1);
    this.logger.warn('spool: could not store a report, it is dropped', { reason, ...fields });
    return 'dropped';
  }
}
