import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { type FleetApp, startFleetApp } from './fleet-test-app';
import type { SeededHost } from './metric-store.seed';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * A fleet app on its own database and namespace for one describe block, with a time base (whole hours,
 * three of them ago: inside every retention and aligned to every step) and seeding shortcuts.
 */
export function useMetricsFixture() {
  let database: TestDatabase;
  const fixture = {
    fleet: undefined as unknown as FleetApp,
    nats: undefined as unknown as NatsTestNamespace,
    base: Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS,
    at: (seconds: number): Date => new Date(fixture.base + seconds * 1000),
    iso: (seconds: number): string => fixture.at(seconds).toISOString(),

    /** A host whose one series set holds cpu and mem, with raw rows every 10 s from `base`. */
    async hostWithSamples(cpu: (number | null)[], mem: number[] = cpu.map(() => 1)) {
      const tenantId = randomUUID();
      const host = await fixture.fleet.seed.host({ tenantId });
      const set = await fixture.fleet.seed.seriesSet(host.key, [
        { name: 'cpu.usage_pct' },
        { name: 'mem.used_pct' },
      ]);
      await fixture.fleet.seed.samples(
        host.key,
        set.setId,
        cpu.map((value, index) => ({ time: fixture.at(index * 10), values: [value, mem[index]] })),
      );
      return { tenantId, host, ...set };
    },

    series: (host: SeededHost, request: Record<string, unknown>) =>
      fixture.fleet.rpc.call('rpc.ingest.metrics.series', {
        tenantId: host.tenantId,
        hostId: host.hostId,
        names: ['cpu.usage_pct'],
        from: fixture.iso(0),
        to: fixture.iso(120),
        ...request,
      }),
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fixture.nats = await createNatsNamespace();
    fixture.fleet = await startFleetApp({ databaseUrl: database.url, namespace: fixture.nats.namespace });
  });

  afterAll(async () => {
    await fixture.fleet?.close();
    await fixture.nats.cleanup();
    await database.drop();
  });

  return fixture;
}
