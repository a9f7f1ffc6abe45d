import { LRUCache } from 'lru-cache';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const BURST_SECONDS = 2;

/** A token bucket per ingest token: `ratePerSecond` sustained, twice that in a burst. */
export class TokenRateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: 100_000 });

  constructor(private readonly ratePerSecond: number) {}

  /** Seconds to wait before retrying, or 0 when the request may go ahead. */
  take(key: string, now = Date.now()): number {
    const capacity = this.ratePerSecond * BURST_SECONDS;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
    bucket.tokens -= 1;
    return 0;
  }
}
