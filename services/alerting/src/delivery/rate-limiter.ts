interface Bucket {
  tokens: number;
  perMinute: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const IDLE_MS = 2 * 60_000;
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per channel, in memory: `perMinute` notifications at once, then one every 60/perMinute s.
 * Each instance keeps its own buckets, so N instances may send up to N × the limit together.
 */
export class ChannelRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a token: 0 when granted, else how many ms until one is free (nothing is taken then). */
  take(channelId: string, perMinute: number): number {
    const now = this.now();
    const bucket = this.refilled(channelId, perMinute, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 60_000) / perMinute);
  }

  private refilled(channelId: string, perMinute: number, now: number): Bucket {
    let bucket = this.buckets.get(channelId);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: perMinute, perMinute, updatedAt: now };
      this.buckets.set(channelId, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / 60_000);
    bucket.perMinute = perMinute;
    bucket.updatedAt = now;
    return bucket;
  }

  private prune(now: number): void {
    for (const [channelId, bucket] of this.buckets) {
      if (now - bucket.updatedAt > IDLE_MS) this.buckets.delete(channelId);
    }
  }
}
