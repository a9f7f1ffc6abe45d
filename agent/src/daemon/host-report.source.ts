import { createHash } from 'node:crypto';

import { Inventory, LIMITS, Sample } from '@optralis/contracts/agent';

import type { Collector } from '../collectors/collector';
import type { CycleContent, ReportSource } from '../reporting/report-source';
import type { Logger } from './json-lines.logger';
import { seriesKey } from './series-key';

export interface HostReportSourceOptions {
  collectors: Collector[];
  collectInventory: () => Promise<Record<string, unknown>>;
  /** How often the inventory is collected again; it is sent only when its hash changed. */
  inventoryRefreshMs: number;
  inventoryTimeoutMs: number;
  collectorTimeoutMs: (collector: Collector) => number;
  logger: Logger;
  now?: () => number;
}

type CollectorOutcome = { name: string; samples: Sample[]; durationMs: number; problem?: string };

const INVENTORY_RETRY_MS = 60_000;
// Room for the self metrics this source adds after the collectors' samples.
const SELF_METRICS_ROOM = 200;

/**
 * One cycle: every collector at once, each bounded by its timeout (a failing or slow one costs its own samples only),
 * samples checked against the contract (one bad sample would otherwise make the ingest refuse the whole report, and
 * the spool replay it forever), duplicates dropped, the inventory added when it is new.
 */
export class HostReportSource implements ReportSource {
  private inventory?: { value: Record<string, unknown>; hash: string };
  private sentInventoryHash?: string;
  private nextInventoryAt?: number;
  private refreshing?: Promise<void>;
  private readonly collectorStates = new Map<string, string>();
  private cycles = 0;

  constructor(private readonly options: HostReportSourceOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async next(): Promise<CycleContent> {
    this.cycles += 1;
    await this.inventoryForCycle();
    const outcomes = await Promise.all(this.options.collectors.map((collector) => this.collect(collector)));
    const { samples, dropped } = this.checked(outcomes);
    const metrics = [...samples, ...selfMetrics({ outcomes, dropped, cycle: this.cycles })];
    const content: CycleContent = { metrics };
    if (this.inventory !== undefined && this.inventory.hash !== this.sentInventoryHash) {
      content.inventory = this.inventory.value;
      this.sentInventoryHash = this.inventory.hash;
    }
    return content;
  }

  /** The first cycle waits for the inventory; later refreshes run beside the cycles and land in a later report. */
  private async inventoryForCycle(): Promise<void> {
    if (this.nextInventoryAt === undefined) return this.refreshInventory();
    if (this.now() >= this.nextInventoryAt && this.refreshing === undefined) {
      this.refreshing = this.refreshInventory().finally(() => (this.refreshing = undefined));
    }
  }

  private async refreshInventory(): Promise<void> {
    this.nextInventoryAt = this.now() + this.options.inventoryRefreshMs;
    try {
      const value = await withTimeout(this.options.collectInventory(), this.options.inventoryTimeoutMs);
      const check = Inventory.safeParse(value);
      if (!check.success) throw new Error(`not a valid inventory: ${check.error.issues[0]?.message}`);
      this.inventory = { value, hash: hashOf(value) };
    } catch (error) {
      this.nextInventoryAt = this.now() + Math.min(this.options.inventoryRefreshMs, INVENTORY_RETRY_MS);
      this.options.logger.warn('inventory collection failed', { error: (error as Error).message });
    }
  }

  private async collect(collector: Collector): Promise<CollectorOutcome> {
    const started = performance.now();
    let outcome: CollectorOutcome;
    try {
      const samples = await withTimeout(collector.collect(), this.options.collectorTimeoutMs(collector));
      outcome = { name: collector.name, samples, durationMs: performance.now() - started };
    } catch (error) {
      outcome = {
        name: collector.name,
        samples: [],
        durationMs: performance.now() - started,
        problem: (error as Error).message,
      };
    }
    const state = outcome.problem ?? 'ok';
    if (this.collectorStates.get(collector.name) !== state) {
      if (outcome.problem !== undefined)
        this.options.logger.warn('collector failed', { collector: collector.name, error: outcome.problem });
      else if (this.collectorStates.has(collector.name))
        this.options.logger.info('collector recovered', { collector: collector.name });
      this.collectorStates.set(collector.name, state);
    }
    return outcome;
  }

  private checked(outcomes: CollectorOutcome[]): { samples: Sample[]; dropped: number } {
    const samples: Sample[] = [];
    const seen = new Set<string>();
    const problems = new Map<string, string>();
    let dropped = 0;
    for (const outcome of outcomes) {
      for (const sample of outcome.samples) {
        const check = Sample.safeParse(sample);
        const key = check.success ? seriesKey(check.data) : '';
        if (
          !check.success ||
          seen.has(key) ||
          samples.length >= LIMITS.samplesPerReport - SELF_METRICS_ROOM
        ) {
          dropped += 1;
          if (!problems.has(outcome.name))
            problems.set(
              outcome.name,
              check.success
                ? seen.has(key)
                  ? 'duplicate series'
                  : 'report full'
                : check.error.issues[0].message,
            );
          continue;
        }
        seen.add(key);
        samples.push(check.data);
      }
    }
    for (const [collector, problem] of problems)
      this.options.logger.debug('samples dropped', { collector, problem });
    return { samples, dropped };
  }
}

/** The reporting loop adds the cycle's duration and the spool's state; these are what only the source knows. */
function selfMetrics(input: { outcomes: CollectorOutcome[]; dropped: number; cycle: number }): Sample[] {
  const usage = process.cpuUsage();
  return [
    // One per report, counting from 1 at every start: a report's identity in the stored data, and restarts show.
    { name: 'agent.cycle', value: input.cycle },
    { name: 'agent.samples_dropped', value: input.dropped },
    { name: 'agent.process.rss_bytes', value: process.memoryUsage.rss() },
    { name: 'agent.process.cpu_seconds', value: round((usage.user + usage.system) / 1e6) },
    ...input.outcomes.flatMap((outcome) => [
      {
        name: 'agent.collector.duration_ms',
        value: round(outcome.durationMs),
        labels: { collector: outcome.name },
      },
      {
        name: 'agent.collector.ok',
        value: outcome.problem === undefined ? 1 : 0,
        labels: { collector: outcome.name },
      },
    ]),
  ];
}

/** Key order does not change the hash: the same inventory collected twice must not count as a change. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
