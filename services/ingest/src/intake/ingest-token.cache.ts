import { createHash, timingSafeEqual } from 'node:crypto';

import { LRUCache } from 'lru-cache';

export interface IngestIdentity {
  tenantId: string;
  tokenId: string;
  name: string;
}

interface Entry {
  hash: Buffer;
  identity: IngestIdentity | null;
}

const NEGATIVE_TTL_MS = 5_000;

export function tokenPrefix(token: string): string {
  const cut = token.lastIndexOf('_');
  return cut > 0 ? token.slice(0, cut) : token;
}

/**
 * Verified ingest tokens keyed by their clear prefix (auth broadcasts revocations by prefix), holding
 * only a SHA-256 of the secret; refused tokens are remembered briefly so a flood of bad ones stays cheap.
 */
export class IngestTokenCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(ttlMs: number, max = 50_000) {
    this.entries = new LRUCache<string, Entry>({ max, ttl: Math.max(ttlMs, 1), ttlAutopurge: false });
  }

  get(token: string): IngestIdentity | null | undefined {
    const entry = this.entries.get(tokenPrefix(token));
    if (!entry) return undefined;
    const hash = digest(token);
    return timingSafeEqual(entry.hash, hash) ? entry.identity : undefined;
  }

  set(token: string, identity: IngestIdentity | null): void {
    this.entries.set(
      tokenPrefix(token),
      { hash: digest(token), identity },
      identity ? undefined : { ttl: NEGATIVE_TTL_MS },
    );
  }

  invalidate(prefix: string): void {
    this.entries.delete(prefix);
  }

  clear(): void {
    this.entries.clear();
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
