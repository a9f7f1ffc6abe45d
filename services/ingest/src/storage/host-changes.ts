import type { HostBatch } from './write-plan';

/** The registry row of a host as locked at the start of a write. */
export interface HostState {
  key: number;
  status: 'online' | 'offline';
  statusChangedAt: Date;
  lastSeen: Date;
  lastReportTime: Date | null;
  intervalSeconds: number;
  intervalSamples: number;
  inventoryHash: string | null;
  seriesCount: number;
}

export interface HostIdentity {
  name: string;
  tags: string[];
  source: string;
}

/** The registry columns a write sets; `identity` from newer reports only, `inventory` only when it changed. */
export interface HostWrite {
  tenantId: string;
  hostId: string;
  identity: HostIdentity | null;
  lastSeen: Date;
  lastReportTime: Date | null;
  intervalSeconds: number;
  intervalSamples: number;
  comesOnline: boolean;
  inventory: { json: string; hash: string; time: number } | null;
}

export const DEFAULT_INTERVAL_SECONDS = 10;
const MIN_INTERVAL_SECONDS = 1;
const MAX_INTERVAL_SECONDS = 3600;
/** Weight of a new gap in the moving average. */
const SMOOTHING = 0.2;
/** A single gap moves the average as if it were at most this many times the current interval (an outage is not a new rhythm). */
const MAX_GAP_FACTOR = 4;

const clamp = (value: number) => Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, value));

/** Folds the gaps between report times newer than the last one into the host's interval estimate. */
export function nextInterval(
  state: { intervalSeconds: number; intervalSamples: number; lastReportMs: number | null },
  times: number[],
): { intervalSeconds: number; intervalSamples: number } {
  let { intervalSeconds, intervalSamples } = state;
  let previous = state.lastReportMs;
  for (const time of times) {
    if (previous !== null && time > previous) {
      const gap = clamp((time - previous) / 1000);
      intervalSeconds =
        intervalSamples === 0
          ? gap
          : clamp(
              intervalSeconds * (1 - SMOOTHING) + Math.min(gap, intervalSeconds * MAX_GAP_FACTOR) * SMOOTHING,
            );
      intervalSamples++;
    }
    if (previous === null || time > previous) previous = time;
  }
  return { intervalSeconds, intervalSamples };
}

/** The same rule as the offline sweep: a host is stale once it missed this many of its intervals. */
export function isStale(input: {
  lastSeenMs: number;
  intervalSeconds: number;
  nowMs: number;
  missedIntervals: number;
}): boolean {
  return input.nowMs - input.lastSeenMs > input.intervalSeconds * input.missedIntervals * 1000;
}

/** The registry row a host gets when this batch is the first one that names it. */
export function newHostWrite(batch: HostBatch): HostWrite {
  const interval = nextInterval(
    { intervalSeconds: DEFAULT_INTERVAL_SECONDS, intervalSamples: 0, lastReportMs: null },
    batch.times,
  );
  return {
    tenantId: batch.tenantId,
    hostId: batch.hostId,
    identity: { name: batch.name, tags: batch.tags, source: batch.source },
    lastSeen: new Date(batch.lastReceivedAt),
    lastReportTime: new Date(batch.times[batch.times.length - 1]),
    ...interval,
    comesOnline: false,
    inventory: batch.inventory ?? null,
  };
}

/** How a batch changes a known host: newer reports win, old ones only refresh what they can. */
export function existingHostWrite(input: {
  batch: HostBatch;
  state: HostState;
  nowMs: number;
  missedIntervals: number;
}): HostWrite {
  const { batch, state } = input;
  const lastReportMs = state.lastReportTime?.getTime() ?? null;
  const newestMs = batch.times[batch.times.length - 1];
  const newer = lastReportMs === null || newestMs >= lastReportMs;
  const interval = nextInterval(
    { intervalSeconds: state.intervalSeconds, intervalSamples: state.intervalSamples, lastReportMs },
    batch.times,
  );
  const lastSeenMs = Math.max(state.lastSeen.getTime(), batch.lastReceivedAt);
  const inventory = batch.inventory;
  const inventoryChanged =
    inventory !== undefined &&
    inventory.hash !== state.inventoryHash &&
    (lastReportMs === null || inventory.time >= lastReportMs);
  return {
    tenantId: batch.tenantId,
    hostId: batch.hostId,
    identity: newer ? { name: batch.name, tags: batch.tags, source: batch.source } : null,
    lastSeen: new Date(lastSeenMs),
    lastReportTime: new Date(Math.max(lastReportMs ?? newestMs, newestMs)),
    ...interval,
    comesOnline:
      state.status === 'offline' &&
      !isStale({
        lastSeenMs,
        intervalSeconds: interval.intervalSeconds,
        nowMs: input.nowMs,
        missedIntervals: input.missedIntervals,
      }),
    inventory: inventoryChanged ? inventory : null,
  };
}
