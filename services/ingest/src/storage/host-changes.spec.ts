import { existingHostWrite, type HostState, isStale, newHostWrite, nextInterval } from './host-changes';
import type { HostBatch } from './write-plan';

const now = Date.UTC(2026, 10, 21, 10, 0, 0);

function batch(overrides: Partial<HostBatch> = {}): HostBatch {
  return {
    tenantId: 't' as HostBatch['tenantId'],
    hostId: 'h',
    name: 'web',
    tags: ['prod'],
    source: 'agent',
    lastReceivedAt: now,
    times: [now],
    ...overrides,
  };
}

function state(overrides: Partial<HostState> = {}): HostState {
  return {
    key: 1,
    status: 'online',
    statusChangedAt: new Date(now - 3_600_000),
    lastSeen: new Date(now - 10_000),
    lastReportTime: new Date(now - 10_000),
    intervalSeconds: 10,
    intervalSamples: 5,
    inventoryHash: 'abc',
    seriesCount: 3,
    ...overrides,
  };
}

describe(nextInterval.name, () => {
  it('should take the first measured gap as it is when nothing was measured yet', () => {
    expect(
      nextInterval({ intervalSeconds: 10, intervalSamples: 0, lastReportMs: now }, [now + 60_000]),
    ).toEqual({
      intervalSeconds: 60,
      intervalSamples: 1,
    });
  });

  it('should move the average a fifth of the way and damp an outage when gaps vary', () => {
    const after = nextInterval({ intervalSeconds: 10, intervalSamples: 3, lastReportMs: now }, [
      now + 20_000,
    ]);
    const outage = nextInterval({ intervalSeconds: 10, intervalSamples: 3, lastReportMs: now }, [
      now + 3_600_000,
    ]);

    expect(after.intervalSeconds).toBeCloseTo(12);
    expect(outage.intervalSeconds).toBeCloseTo(16);
  });

  it('should ignore report times not newer than the last one and clamp to 1..3600 s', () => {
    expect(
      nextInterval({ intervalSeconds: 10, intervalSamples: 2, lastReportMs: now }, [now - 5000, now]),
    ).toEqual({
      intervalSeconds: 10,
      intervalSamples: 2,
    });
    expect(
      nextInterval({ intervalSeconds: 10, intervalSamples: 0, lastReportMs: now }, [now + 100])
        .intervalSeconds,
    ).toBe(1);
    expect(
      nextInterval({ intervalSeconds: 10, intervalSamples: 0, lastReportMs: now }, [now + 86_400_000])
        .intervalSeconds,
    ).toBe(3600);
  });
});

describe(existingHostWrite.name, () => {
  it('should bring an offline host online when its newest report makes it fresh', () => {
    const write = existingHostWrite({
      batch: batch(),
      state: state({ status: 'offline', lastSeen: new Date(now - 600_000) }),
      nowMs: now,
      missedIntervals: 3,
    });

    expect(write).toMatchObject({ comesOnline: true, lastSeen: new Date(now) });
  });

  it('should leave an offline host offline when only an old report arrives', () => {
    const write = existingHostWrite({
      batch: batch({ lastReceivedAt: now - 500_000, times: [now - 500_000] }),
      state: state({
        status: 'offline',
        lastSeen: new Date(now - 600_000),
        lastReportTime: new Date(now - 400_000),
      }),
      nowMs: now,
      missedIntervals: 3,
    });

    expect(write).toMatchObject({
      comesOnline: false,
      identity: null,
      lastReportTime: new Date(now - 400_000),
    });
  });

  it('should change the inventory only when its hash differs', () => {
    const inventory = { json: '{}', hash: 'abc', time: now };
    const same = existingHostWrite({
      batch: batch({ inventory }),
      state: state(),
      nowMs: now,
      missedIntervals: 3,
    });
    const changed = existingHostWrite({
      batch: batch({ inventory: { ...inventory, hash: 'def' } }),
      state: state(),
      nowMs: now,
      missedIntervals: 3,
    });

    expect(same.inventory).toBeNull();
    expect(changed.inventory?.hash).toBe('def');
  });
});

describe(newHostWrite.name, () => {
  it('should learn the interval from the reports of the first batch when it has several', () => {
    const write = newHostWrite(batch({ times: [now - 30_000, now] }));

    expect(write).toMatchObject({ intervalSeconds: 30, intervalSamples: 1, identity: { name: 'web' } });
  });
});

describe(isStale.name, () => {
  it('should call a host stale once it missed the given number of intervals', () => {
    expect(isStale({ lastSeenMs: now - 30_000, intervalSeconds: 10, nowMs: now, missedIntervals: 3 })).toBe(
      false,
    );
    expect(isStale({ lastSeenMs: now - 30_001, intervalSeconds: 10, nowMs: now, missedIntervals: 3 })).toBe(
      true,
    );
  });
});
