import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeSmallFile } from '../spool/atomic-file';
import { type Logger, silentLogger } from './logger';

export interface SequenceStoreOptions {
  /** The agent's state directory; the high-water mark lives in `sequence.json` there. */
  directory: string;
  /** How many numbers one disk write reserves. Default 1000. */
  blockSize?: number;
  logger?: Logger;
  /** Only for recovery from an unreadable file; see open(). */
  now?: () => number;
}

const FILE = 'sequence.json';

/**
 * Hands out report sequence numbers that only ever grow, across restarts and kill -9: a block is
 * reserved on disk before any number of it is used, so a crash skips numbers but never repeats one.
 */
export class SequenceStore {
  private reserving: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private readonly blockSize: number,
    private nextSeq: number,
    private reservedUpTo: number,
  ) {}

  static async open(options: SequenceStoreOptions): Promise<SequenceStore> {
    const path = join(options.directory, FILE);
    const logger = options.logger ?? silentLogger;
    await mkdir(options.directory, { recursive: true });
    let start = await readMark(path);
    if (start === 'unreadable') {
      // The file is written atomically, so this takes a damaged disk. Ingest deduplicates on
      // (host, seq): restarting low would silently discard new reports as duplicates, so jump above
      // anything a counter could have reached, using the only other growing number there is.
      start = (options.now ?? Date.now)();
      logger.error('sequence: the high-water mark is unreadable, continuing from the wall clock', {
        path,
        seq: start,
      });
    }
    return new SequenceStore(path, Math.max(1, options.blockSize ?? 1000), start, start);
  }

  async next(): Promise<number> {
    while (this.nextSeq >= this.reservedUpTo) await this.reserve();
    const seq = this.nextSeq;
    this.nextSeq += 1;
    return seq;
  }

  /** The next number next() will give; numbers below it were (or may have been) used. */
  peekNext(): number {
    return this.nextSeq;
  }

  private reserve(): Promise<void> {
    this.reserving ??= (async () => {
      try {
        const mark = this.reservedUpTo + this.blockSize;
        await writeSmallFile(this.path, JSON.stringify({ reservedUpTo: mark }));
        this.reservedUpTo = mark;
      } finally {
        this.reserving = undefined;
      }
    })();
    return this.reserving;
  }
}

async function readMark(path: string): Promise<number | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const mark = (JSON.parse(text) as { reservedUpTo?: unknown }).reservedUpTo;
    if (typeof mark === 'number' && Number.isSafeInteger(mark) && mark >= 0) return mark;
  } catch {
    // reported by the caller
  }
  return 'unreadable';
}
