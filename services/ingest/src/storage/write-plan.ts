import type { MetricsReport, Sample } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { shapeOf } from './row-shape';
import { canonicalJson, inventoryHash, storable, storableJson } from './series-keys';

/** What one batch says about one host: the newest report's identity, every report time, the newest inventory. */
export interface HostBatch {
  tenantId: TenantId;
  hostId: string;
  name: string;
  tags: string[];
  source: string;
  /** Newest `receivedAt` of the host's reports, epoch ms. */
  lastReceivedAt: number;
  /** Distinct report times, ascending, epoch ms. */
  times: number[];
  inventory?: { json: string; hash: string; time: number };
}

/** One row to store: a report's values, in sample order, and the shape that says which series they are. */
export interface PlannedRow {
  host: number;
  /** The time as COPY text. */
  time: string;
  timeMs: number;
  receivedAtMs: number;
  shape: string;
  samples: Sample[];
  values: number[];
}

export interface WritePlan {
  reports: number;
  /** Sorted by (tenant, host): registry rows are locked in this order, so writers never deadlock. */
  hosts: HostBatch[];
  rows: PlannedRow[];
  /** Samples older than the raw retention: dropped, never stored. */
  tooOld: number;
  minTimeMs: number;
  maxTimeMs: number;
}

const COPY_SAFE_TIME = /^[0-9T:.+\-Z]+$/;
const KEY_SEPARATOR = '\u0000';
/** Groups a batch of reports by host and turns each report into one row of unique series. */
export function buildWritePlan(reports: MetricsReport[], options: { oldestAllowedMs: number }): WritePlan {
  const hostIndex = new Map<string, number>();
  const hosts: (HostBatch & { newest: number })[] = [];
  const rows: PlannedRow[] = [];
  const plan = { tooOld: 0, minTimeMs: Infinity, maxTimeMs: -Infinity };

  for (const report of reports) {
    const timeMs = Date.parse(report.time);
    const receivedAtMs = Date.parse(report.receivedAt);
    const identity = `${report.tenantId}${KEY_SEPARATOR}${report.hostId}`;
    let index = hostIndex.get(identity);
    if (index === undefined) {
      index = hosts.length;
      hostIndex.set(identity, index);
      hosts.push({
        tenantId: asTenantId(report.tenantId),
        hostId: report.hostId,
        name: '',
        tags: [],
        source: report.source,
        lastReceivedAt: receivedAtMs,
        times: [],
        newest: -Infinity,
      });
    }
    const host = hosts[index];
    absorbReport(host, report, timeMs, receivedAtMs);
    if (report.samples.length === 0) continue;
    if (timeMs < options.oldestAllowedMs) {
      plan.tooOld += report.samples.length;
      continue;
    }
    const row = planRow(report, index, timeMs, receivedAtMs);
    plan.minTimeMs = Math.min(plan.minTimeMs, timeMs);
    plan.maxTimeMs = Math.max(plan.maxTimeMs, timeMs);
    rows.push(row);
  }

  const order = hosts.map((host, index) => ({ host, index })).sort((a, b) => compareHosts(a.host, b.host));
  const renumber = new Map(order.map((entry, position) => [entry.index, position]));
  for (const row of rows) row.host = renumber.get(row.host)!;
  return {
    reports: reports.length,
    hosts: order.map(({ host }) => finishHost(host)),
    rows,
    ...plan,
  };
}

function absorbReport(
  host: HostBatch & { newest: number },
  report: MetricsReport,
  timeMs: number,
  receivedAtMs: number,
): void {
  host.lastReceivedAt = Math.max(host.lastReceivedAt, receivedAtMs);
  host.times.push(timeMs);
  if (timeMs >= host.newest) {
    host.newest = timeMs;
    host.name = storable(report.hostName);
    host.tags = (report.tags ?? []).map(storable);
    host.source = report.source;
  }
  if (report.inventory && (!host.inventory || timeMs >= host.inventory.time)) {
    const json = canonicalJson(storableJson(report.inventory));
    host.inventory = { json, hash: inventoryHash(json), time: timeMs };
  }
}

function finishHost(host: HostBatch & { newest: number }): HostBatch {
  const times = [...new Set(host.times)].sort((a, b) => a - b);
  const { newest: _newest, ...rest } = host;
  return { ...rest, times };
}

function planRow(report: MetricsReport, host: number, timeMs: number, receivedAtMs: number): PlannedRow {
  const values = new Array<number>(report.samples.length);
  for (let index = 0; index < values.length; index++) values[index] = report.samples[index].value;
  return {
    host,
    time: COPY_SAFE_TIME.test(report.time) ? report.time : new Date(timeMs).toISOString(),
    timeMs,
    receivedAtMs,
    shape: shapeOf(report.samples),
    samples: report.samples,
    values,
  };
}

function compareHosts(a: HostBatch, b: HostBatch): number {
  if (a.tenantId !== b.tenantId) return a.tenantId < b.tenantId ? -1 : 1;
  return a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0;
}
