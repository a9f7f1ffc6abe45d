import { createHash } from 'node:crypto';

import { LIMITS, type MetricsReport, type Sample } from '@optralis/contracts';

import type { HostIdentity } from './host-identity';
import type { NormaliseContext } from './normalise';

export type BatchSource = 'influx' | 'prometheus' | 'otlp';
export type Inventory = Record<string, unknown>;

const SAMPLES_PER_REPORT = LIMITS.samplesPerReport;

interface Group {
  host: HostIdentity;
  time: number;
  samples: Sample[];
  inventory?: Inventory;
}

/**
 * Gathers the samples of one request into one report per (host, timestamp), split at LIMITS.samplesPerReport.
 * A report id is a digest of its canonical content, so a payload sent twice yields the same ids.
 */
export class ReportBatch {
  private readonly groups = new Map<string, Map<number, Group>>();
  private last: Group | undefined;

  constructor(
    private readonly source: BatchSource,
    private readonly context: NormaliseContext,
  ) {}

  add(host: HostIdentity, time: number, sample: Sample): void {
    this.group(host, time).samples.push(sample);
  }

  addInventory(host: HostIdentity, time: number, key: string, value: unknown): void {
    const group = this.group(host, time);
    group.inventory ??= {};
    group.inventory[key] = value;
  }

  reports(): MetricsReport[] {
    const reports: MetricsReport[] = [];
    const receivedAt = this.context.receivedAt.toISOString();
    for (const times of this.groups.values()) {
      for (const group of times.values()) this.split(group, receivedAt, reports);
    }
    return reports;
  }

  private group(host: HostIdentity, time: number): Group {
    const last = this.last;
    if (last !== undefined && last.time === time && last.host.id === host.id) return last;
    let times = this.groups.get(host.id);
    if (times === undefined) {
      times = new Map();
      this.groups.set(host.id, times);
    }
    let group = times.get(time);
    if (group === undefined) {
      group = { host, time, samples: [] };
      times.set(time, group);
    }
    this.last = group;
    return group;
  }

  private split(group: Group, receivedAt: string, reports: MetricsReport[]): void {
    const time = new Date(group.time).toISOString();
    const samples = group.samples;
    if (samples.length <= SAMPLES_PER_REPORT) {
      const keys = samples.map(canonicalSample).sort();
      reports.push(this.report(group, { time, receivedAt, part: 0, samples, keys }));
      return;
    }
    // Parts follow the canonical order, so that the same samples in another order still make the same parts.
    const keyed = samples.map((sample) => ({ key: canonicalSample(sample), sample })).sort(byKey);
    for (let part = 0; part * SAMPLES_PER_REPORT < keyed.length; part++) {
      const chunk = keyed.slice(part * SAMPLES_PER_REPORT, (part + 1) * SAMPLES_PER_REPORT);
      const keys = chunk.map((entry) => entry.key);
      reports.push(
        this.report(group, { time, receivedAt, part, samples: chunk.map((entry) => entry.sample), keys }),
      );
    }
  }

  private report(group: Group, content: Content): MetricsReport {
    const inventory = content.part === 0 ? group.inventory : undefined;
    const hash = createHash('sha256');
    hash.update(canonical(this.context.tenantId, group.host.id) + canonical(group.host.name, content.time));
    hash.update(`${content.part}\n${content.keys.join('\n')}`);
    if (inventory !== undefined) hash.update(`\n${canonicalInventory(inventory)}`);
    const report: MetricsReport = {
      id: `${this.source}:${hash.digest('hex')}`,
      tenantId: this.context.tenantId,
      hostId: group.host.id,
      hostName: group.host.name,
      source: this.source,
      time: content.time,
      receivedAt: content.receivedAt,
      samples: content.samples,
    };
    if (inventory !== undefined) report.inventory = inventory;
    return report;
  }
}

interface Content {
  time: string;
  receivedAt: string;
  part: number;
  samples: Sample[];
  /** Canonical forms of the samples, sorted. */
  keys: string[];
}

function byKey(left: { key: string }, right: { key: string }): number {
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}

/** Length-prefixed, so that no choice of separator characters inside names or labels can make two samples alike. */
function canonical(first: string, second: string): string {
  return `${first.length}:${first}${second.length}:${second}`;
}

function canonicalSample(sample: Sample): string {
  let text = canonical(sample.name, String(sample.value));
  const labels = sample.labels;
  if (labels !== undefined) {
    const keys = Object.keys(labels);
    if (keys.length > 1) keys.sort();
    for (const key of keys) text += canonical(key, labels[key]);
  }
  return text;
}

function canonicalInventory(inventory: Inventory): string {
  return JSON.stringify(
    Object.keys(inventory)
      .sort()
      .map((key) => [key, inventory[key]]),
  );
}
