/** An answer as sent: the JSON text of the parsed response. */
export interface CachedAnswer {
  json: string;
}

interface Entry {
  expiresAt: number;
  answer: Promise<CachedAnswer>;
}

/**
 * Short-lived answers of the read routes that opt in (`cacheable`), keyed by tenant, role and URL. The same
 * read asked by many clients at once (dashboards, Grafana panels, consoles polling) reaches the service once
 * per `ttlMs`, and callers arriving while it is asked wait for that one answer. A write through this gateway
 * forgets its tenant's answers at once; changes from elsewhere (agent reports) show within `ttlMs`.
 * Failures are never kept.
 */
export class ReadCache {
  private readonly tenants = new Map<string, Map<string, Entry>>();
  private size = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  answer(tenantId: string, key: string, produce: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
    const entries = this.tenantEntries(tenantId);
    const existing = entries.get(key);
    const now = this.now();
    if (existing && existing.expiresAt > now) return existing.answer;
    if (existing) this.remove(entries, key);
    const answer = produce();
    const entry: Entry = { expiresAt: now + this.ttlMs, answer };
    entries.set(key, entry);
    this.size += 1;
    answer.catch(() => {
      if (entries.get(key) === entry) this.remove(entries, key);
    });
    this.evictBeyondLimit();
    return answer;
  }

  forgetTenant(tenantId: string): void {
    const entries = this.tenants.get(tenantId);
    if (!entries) return;
    this.size -= entries.size;
    this.tenants.delete(tenantId);
  }

  get entryCount(): number {
    return this.size;
  }

  private tenantEntries(tenantId: string): Map<string, Entry> {
    let entries = this.tenants.get(tenantId);
    if (!entries) {
      entries = new Map();
      this.tenants.set(tenantId, entries);
    }
    return entries;
  }

  private remove(entries: Map<string, Entry>, key: string): void {
    if (entries.delete(key)) this.size -= 1;
  }

  /** Oldest first: maps keep insertion order, and an expired entry is re-inserted when asked again. */
  private evictBeyondLimit(): void {
    for (const [tenantId, entries] of this.tenants) {
      if (this.size <= this.maxEntries) return;
      for (const key of entries.keys()) {
        if (this.size <= this.maxEntries) break;
        this.remove(entries, key);
      }
      if (entries.size === 0) this.tenants.delete(tenantId);
    }
  }
}
