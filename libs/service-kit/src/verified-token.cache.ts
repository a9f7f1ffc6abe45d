import { createHash, timingSafeEqual } from 'node:crypto';

import { LRUCache } from 'lru-cache';

interface Entry<Identity> {
  hash: Buffer;
  identity: Identity | null;
}

const REFUSED_TTL_MS = 5_000;

/** `opt_api_<id>` / `opt_ing_<id>`: the part auth keeps in clear and names in its revocation broadcasts. */
export function tokenPrefix(token: string): string {
  const cut = token.lastIndexOf('_');
  return cut > 0 ? token.slice(0, cut) : token;
}

/**
 * What auth answered for tokens it verified, keyed by their clear prefix (revocations arrive by prefix),
 * holding only a SHA-256 of the secret; refused tokens are remembered briefly so a flood of bad ones does
 * not reach auth. Used by every service that accepts tokens (the gateway's API tokens, ingest's tokens).
 */
export class VerifiedTokenCache<Identity> {
  private readonly entries: LRUCache<string, Entry<Identity>>;

  constructor(ttlMs: number, max = 50_000) {
    this.entries = new LRUCache<string, Entry<Identity>>({
      max,
      ttl: Math.max(ttlMs, 1),
      ttlAutopurge: false,
    });
  }

  /** The cached identity, `null` for a recently refused token, `undefined` when auth must be asked. */
  get(token: string): Identity | null | undefined {
    const entry = this.entries.get(tokenPrefix(token));
    if (!entry) return undefined;
    return timingSafeEqual(entry.hash, digest(token)) ? entry.identity : undefined;
  }

  set(token: string, identity: Identity | null): void {
    this.entries.set(
      tokenPrefix(token),
      { hash: digest(token), identity },
      identity ? undefined : { ttl: REFUSED_TTL_MS },
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
