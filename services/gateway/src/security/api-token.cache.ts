import { createHash, timingSafeEqual } from 'node:crypto';

import { LRUCache } from 'lru-cache';

import type { GatewayActor } from './actor';

interface Entry {
  hash: Buffer;
  actor: GatewayActor | null;
}

const REFUSED_TTL_MS = 5_000;

/** `opt_api_<id>`: the part auth keeps in clear and names in its revocation broadcasts. */
export function tokenPrefix(token: string): string {
  const cut = token.lastIndexOf('_');
  return cut > 0 ? token.slice(0, cut) : token;
}

/**
 * Verified API tokens keyed by their clear prefix, holding only a SHA-256 of the secret; refused tokens are
 * remembered briefly so a flood of bad ones does not reach auth.
 */
export class ApiTokenCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(ttlMs: number, max = 50_000) {
    this.entries = new LRUCache<string, Entry>({ max, ttl: Math.max(ttlMs, 1), ttlAutopurge: false });
  }

  /** The cached actor, `null` for a recently refused token, `undefined` when auth must be asked. */
  get(token: string): GatewayActor | null | undefined {
    const entry = this.entries.get(tokenPrefix(token));
    if (!entry) return undefined;
    return timingSafeEqual(entry.hash, digest(token)) ? entry.actor : undefined;
  }

  set(token: string, actor: GatewayActor | null): void {
    this.entries.set(
      tokenPrefix(token),
      { hash: digest(token), actor },
      actor ? undefined : { ttl: REFUSED_TTL_MS },
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
