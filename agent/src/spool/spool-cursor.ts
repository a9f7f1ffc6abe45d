import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeSmallFile } from './atomic-file';

/** Where replay resumes: everything before `offset` in segment `segment` (and in earlier segments) was delivered. */
export interface SpoolCursor {
  segment: number;
  offset: number;
}

const FILE = 'cursor.json';

/** The persisted cursor; undefined when there is none or it is unreadable (replay then starts at the oldest record, which ingest deduplicates). */
export async function loadCursor(directory: string): Promise<SpoolCursor | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<SpoolCursor>;
    if (isCount(value.segment) && isCount(value.offset))
      return { segment: value.segment, offset: value.offset };
  } catch {
    // fall through: an unreadable cursor only costs duplicate sends
  }
  return undefined;
}

export async function saveCursor(directory: string, cursor: SpoolCursor): Promise<void> {
  await writeSmallFile(
    join(directory, FILE),
    JSON.stringify({ segment: cursor.segment, offset: cursor.offset }),
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
