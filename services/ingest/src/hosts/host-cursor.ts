import { z } from 'zod';

import type { HostKeyset } from './host.types';
import { HostError, HostErrorCode } from './hosts.errors';

const Keyset = z.tuple([z.string(), z.string().min(1)]);

/** An opaque page position: base64url of `[name, hostId]` of the last host of the previous page. */
export function encodeHostCursor(keyset: HostKeyset): string {
  return Buffer.from(JSON.stringify([keyset.name, keyset.hostId])).toString('base64url');
}

export function decodeHostCursor(cursor: string | undefined): HostKeyset | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const keyset = Keyset.safeParse(decoded);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !keyset.success) {
    throw new HostError(HostErrorCode.InvalidRequest, 'cursor is not one this service handed out');
  }
  return { name: keyset.data[0], hostId: keyset.data[1] };
}
