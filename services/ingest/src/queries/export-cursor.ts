import { z } from 'zod';

import { QueryError, QueryErrorCode } from './queries.errors';

/** Where a paged export resumes: after this series of this Prometheus metric name. */
export interface ExportKeyset {
  family: string;
  seriesId: number;
}

const Keyset = z.tuple([
  z
    .string()
    .min(1)
    .max(400)
    .regex(/^[A-Za-z0-9_:]+$/),
  z.number().int().nonnegative(),
]);

/** An opaque page position: base64url of `[family, seriesId]` of the last series of the previous page. */
export function encodeExportCursor(keyset: ExportKeyset): string {
  return Buffer.from(JSON.stringify([keyset.family, keyset.seriesId])).toString('base64url');
}

/**
 * The position a cursor names. It carries no tenant: every page query filters by the caller's tenant,
 * so another tenant's cursor only says where to resume in the caller's own series.
 */
export function decodeExportCursor(cursor: string | undefined): ExportKeyset | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const keyset = Keyset.safeParse(decoded);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !keyset.success) {
    throw new QueryError(QueryErrorCode.InvalidRequest, 'cursor is not one this service handed out');
  }
  return { family: keyset.data[0], seriesId: keyset.data[1] };
}
