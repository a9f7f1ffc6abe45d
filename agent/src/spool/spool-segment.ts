import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { headerTime, parseRecords, RECORD_HEADER_BYTES } from './spool-record';

/** One segment file as the spool knows it; `size` is the end of its last valid record. */
export interface Segment {
  index: number;
  path: string;
  size: number;
  /** Valid records in the file, acknowledged ones included. */
  records: number;
  /** Time of the first record not yet acknowledged; undefined when there is none. */
  firstPendingTime: number | undefined;
  lastTime: number | undefined;
}

export interface SegmentScan {
  segment: Segment;
  /** Valid records that end at or before the `from` offset given to the scan (already acknowledged). */
  recordsBefore: number;
  corruptRegions: number;
  /** Bytes cut off the end: a torn record or garbage with no valid record after it. */
  truncatedBytes: number;
}

/** Writes all of `data` at `position`; injectable so tests can simulate a full disk. */
export type WriteAt = (handle: FileHandle, data: Buffer, position: number) => Promise<void>;

const NAME = /^segment-(\d{12})\.log$/;

export function segmentPath(directory: string, index: number): string {
  return join(directory, `segment-${String(index).padStart(12, '0')}.log`);
}

export function segmentIndexOf(fileName: string): number | undefined {
  const match = NAME.exec(fileName);
  return match === null ? undefined : Number(match[1]);
}

export function emptySegment(directory: string, index: number): Segment {
  return {
    index,
    path: segmentPath(directory, index),
    size: 0,
    records: 0,
    firstPendingTime: undefined,
    lastTime: undefined,
  };
}

/** Reads a whole segment, counts its records and cuts a torn or garbage tail off the file. */
export async function scanSegment(directory: string, index: number, from: number): Promise<SegmentScan> {
  const segment = emptySegment(directory, index);
  const content = await readFile(segment.path);
  let recordsBefore = 0;
  let corruptRegions = 0;
  let validEnd = 0;
  for (const entry of parseRecords(content)) {
    if (entry.kind === 'incomplete') break;
    validEnd = entry.end;
    if (entry.kind === 'corrupt') {
      corruptRegions += 1;
      continue;
    }
    segment.records += 1;
    segment.lastTime = entry.time;
    if (entry.end <= from) recordsBefore += 1;
    else segment.firstPendingTime ??= entry.time;
  }
  segment.size = validEnd;
  if (validEnd < content.length) await truncateFile(segment.path, validEnd);
  return { segment, recordsBefore, corruptRegions, truncatedBytes: content.length - validEnd };
}

export async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(to - from);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, from + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export async function recordTimeAt(path: string, offset: number): Promise<number | undefined> {
  return headerTime(await readRange(path, offset, offset + RECORD_HEADER_BYTES));
}

export const writeFully: WriteAt = async (handle, data, position) => {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
};

export async function truncateFile(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
