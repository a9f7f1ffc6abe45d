import { z } from 'zod';

import { invalid } from './alerting.errors';

const Keyset = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export interface Keyset {
  time: Date;
  id: string;
}

/** An opaque page position: base64url of `[time, id]` of the last row of the previous page. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.time.toISOString(), keyset.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const keyset = Keyset.safeParse(decoded);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !keyset.success) {
    throw invalid('cursor is not one this service handed out');
  }
  return { time: new Date(keyset.data[0]), id: keyset.data[1] };
}

/** Takes `limit + 1` rows, returns `limit` of them and the cursor of the last when more exist. */
export function page<T>(rows: T[], limit: number, keyset: (row: T) => Keyset) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyset(last)) : null };
}
