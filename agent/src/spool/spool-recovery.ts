import { mkdir, readdir } from 'node:fs/promises';

import type { Logger } from '../reporting/logger';
import { loadCursor } from './spool-cursor';
import { emptySegment, removeFile, scanSegment, type Segment, segmentIndexOf } from './spool-segment';
import type { SpoolPosition } from './spool.types';

export interface RecoveredSpool {
  segments: Segment[];
  /** Always in the first segment, or at the start of the next one to be created when there is none. */
  cursor: SpoolPosition;
  nextIndex: number;
  highWaterTime: number;
}

/** Reads what a previous run left, whatever point it crashed at: torn tails are cut, damage is skipped. */
export async function recoverSpool(directory: string, logger: Logger): Promise<RecoveredSpool> {
  await mkdir(directory, { recursive: true });
  const indexes = (await readdir(directory))
    .map(segmentIndexOf)
    .filter((index): index is number => index !== undefined)
    .sort((a, b) => a - b);
  const stored = (await loadCursor(directory)) ?? { segment: indexes[0] ?? 0, offset: 0 };
  const segments: Segment[] = [];
  const cursor: SpoolPosition = { segment: stored.segment, offset: 0, ordinal: 0 };
  let corrupt = 0;
  for (const index of indexes) {
    // Fully delivered: a crash came between saving the cursor and deleting the file.
    if (index < stored.segment) {
      await removeFile(emptySegment(directory, index).path);
      continue;
    }
    const from = index === stored.segment ? stored.offset : 0;
    const scan = await scanSegment(directory, index, from);
    if (scan.truncatedBytes > 0) logger.warn('spool: cut a torn tail', { index, bytes: scan.truncatedBytes });
    corrupt += scan.corruptRegions;
    if (index === stored.segment) {
      cursor.offset = Math.min(from, scan.segment.size);
      cursor.ordinal = scan.recordsBefore;
    }
    segments.push(scan.segment);
  }
  // Damage in the middle is counted as dropped when replay reaches it; here it is only reported.
  if (corrupt > 0) logger.warn('spool: found damaged records, replay will skip them', { regions: corrupt });
  if (segments.length > 0 && segments[0].index !== cursor.segment) {
    Object.assign(cursor, { segment: segments[0].index, offset: 0, ordinal: 0 });
  }
  // The cursor's segment is gone (deleted by hand): start a fresh one rather than skip into it.
  if (segments.length === 0 && stored.offset > 0) cursor.segment += 1;
  const nextIndex = Math.max((segments.at(-1)?.index ?? -1) + 1, cursor.segment);
  const highWaterTime = Math.max(-Infinity, ...segments.map((segment) => segment.lastTime ?? -Infinity));
  return { segments, cursor, nextIndex, highWaterTime };
}
