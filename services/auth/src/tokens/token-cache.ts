import type { TokenRecord } from './token.types';

export interface TokenCacheOptions {
  maxEntries: number;
  /** How long a known token is trusted without a database read (bounds a missed revocation). */
  positiveTtlMs: number;
  /** How long an unknown prefix is answered "no" without a database read. */
  negativeTtlMs: number;
}

interface Entry {
  record: TokenRecord | undefined;
  expiresAt: number;
  touchedAt: number;
}

/**
 * A bounded LRU of token lookups by prefix, negative entries included. `generation` lets a loader
 * that raced an invalidation drop its stale answer instead of caching it.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private currentGeneration = 0;

  constructor(private readonly options: TokenCacheOptions) {}

  get generation(): number {
    return this.currentGeneration;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached lookup: a record, `null` for a known-unknown prefix, `undefined` for a miss. */
  get(prefix: string, now: number): TokenRecord | null | undefined {
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(prefix);
      return undefined;
    }
    this.entries.delete(prefix);
    this.entries.set(prefix, entry);
    return entry.record ?? null;
  }

  set(prefix: string, record: TokenRecord | undefined, now: number, generation: number): void {
    if (generation !== this.currentGeneration) return;
    const ttl = record ? this.options.positiveTtlMs : this.options.negativeTtlMs;
    this.entries.delete(prefix);
    this.entries.set(prefix, { record, expiresAt: now + ttl, touchedAt: 0 });
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** True at most once per interval per cached token: the caller then records the use. */
  shouldTouch(prefix: string, now: number, intervalMs: number): boolean {
    const entry = this.entries.get(prefix);
    if (!entry || now - entry.touchedAt < intervalMs) return false;
    entry.touchedAt = now;
    return true;
  }

  invalidate(prefix: string): void {
    this.currentGeneration++;
    this.entries.delete(prefix);
  }

  clear(): void {
    this.currentGeneration++;
    this.entries.clear();
  }
}
