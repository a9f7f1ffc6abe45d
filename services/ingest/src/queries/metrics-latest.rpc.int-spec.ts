import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { errorCode, type FleetApp, rpcFailure, startFleetApp } from './testing/fleet-test-app';
import type { SeededHost } from './testing/metric-store.seed';
import { MetricsRpc } from './metrics.rpc';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe(`${MetricsRpc.name} latest, names and refusals`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let fleet: FleetApp;
  // Whole hours, three of them ago: well inside every retention and aligned to every step used here.
  const base = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
  const at = (seconds: number): Date => new Date(base + seconds * 1000);
  const iso = (seconds: number): string => at(seconds).toISOString();

  /** A host whose one series set holds cpu and mem, with raw rows every 10 s from `base`. */
  async function hostWithSamples(cpu: (number | null)[], mem: number[] = cpu.map(() => 1)) {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId });
    const set = await fleet.seed.seriesSet(host.key, [{ name: 'cpu.usage_pct' }, { name: 'mem.used_pct' }]);
    await fleet.seed.samples(
      host.key,
      set.setId,
      cpu.map((value, index) => ({ time: at(index * 10), values: [value, mem[index]] })),
    );
    return { tenantId, host, ...set };
  }

  const series = (host: SeededHost, request: Record<string, unknown>) =>
    fleet.rpc.call('rpc.ingest.metrics.series', {
      tenantId: host.tenantId,
      hostId: host.hostId,
      names: ['cpu.usage_pct'],
      from: iso(0),
      to: iso(120),
      ...request,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    fleet = await startFleetApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await fleet?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should answer host.not_found for a missing host and for another tenant host', async () => {
    const { host } = await hostWithSamples([1]);
    const stranger = randomUUID();
    const asStranger = { tenantId: stranger, hostId: host.hostId };

    const failures = await Promise.all([
      rpcFailure(series({ ...host, tenantId: stranger }, {})),
      rpcFailure(series({ ...host, hostId: 'missing' }, {})),
      rpcFailure(fleet.rpc.call('rpc.ingest.metrics.latest', asStranger)),
      rpcFailure(fleet.rpc.call('rpc.ingest.metrics.names', asStranger)),
    ]);

    expect(failures.map((failure) => failure.code)).toEqual(Array(4).fill('host.not_found'));
  });

  it('should refuse a range that ends before it starts or spans more than 400 days', async () => {
    const { host } = await hostWithSamples([1]);

    const failures = await Promise.all([
      rpcFailure(series(host, { from: iso(120), to: iso(0) })),
      rpcFailure(series(host, { from: iso(0), to: iso(0) })),
      rpcFailure(series(host, { from: new Date(base - 401 * DAY_MS).toISOString(), to: iso(0) })),
    ]);

    expect(failures.map((failure) => failure.code)).toEqual(Array(3).fill('metrics.invalid_range'));
  });

  it('should give the newest value of each series across its sets and skip values that are not numbers', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId });
    const older = await fleet.seed.seriesSet(host.key, [{ name: 'cpu.usage_pct' }, { name: 'mem.used_pct' }]);
    const newer = await fleet.seed.seriesSet(host.key, [
      { name: 'disk.used_pct', labels: { mount: '/' } },
      { name: 'cpu.usage_pct' },
    ]);
    const broken = await fleet.seed.seriesSet(host.key, [{ name: 'load.1m' }]);
    await fleet.seed.latest(host.key, older.setId, at(0), [1, 2]);
    await fleet.seed.latest(host.key, newer.setId, at(10), [7, 5]);
    await fleet.seed.latest(host.key, broken.setId, at(10), [Number.NaN]);

    const all = await fleet.rpc.call('rpc.ingest.metrics.latest', { tenantId, hostId: host.hostId });
    const some = await fleet.rpc.call('rpc.ingest.metrics.latest', {
      tenantId,
      hostId: host.hostId,
      names: ['mem.used_pct'],
    });
    const names = await fleet.rpc.call('rpc.ingest.metrics.names', { tenantId, hostId: host.hostId });

    expect(all.series).toEqual([
      { name: 'cpu.usage_pct', labels: {}, time: iso(10), value: 5 },
      { name: 'disk.used_pct', labels: { mount: '/' }, time: iso(10), value: 7 },
      { name: 'mem.used_pct', labels: {}, time: iso(0), value: 2 },
    ]);
    expect(some.series).toEqual([{ name: 'mem.used_pct', labels: {}, time: iso(0), value: 2 }]);
    expect(names.names).toEqual(['cpu.usage_pct', 'disk.used_pct', 'load.1m', 'mem.used_pct']);
  });

  it('should answer invalid_request to malformed requests and keep serving', async () => {
    const { host } = await hostWithSamples([1]);
    const valid = {
      tenantId: host.tenantId,
      hostId: host.hostId,
      names: ['cpu.usage_pct'],
      from: iso(0),
      to: iso(60),
    };
    const raw = (subject: string, body: unknown) =>
      nats.requestRaw<{ ok: boolean; error?: { code: string } }>(subject, JSON.stringify(body));

    const replies = await Promise.all([
      raw('rpc.ingest.metrics.series', { ...valid, sql: 'drop' }),
      raw('rpc.ingest.metrics.series', { ...valid, names: Array(51).fill('cpu') }),
      raw('rpc.ingest.metrics.series', { ...valid, names: Array(100_000).fill('cpu') }),
      raw('rpc.ingest.metrics.series', { ...valid, names: ['1bad name'] }),
      raw('rpc.ingest.metrics.series', { ...valid, from: 'yesterday' }),
      raw('rpc.ingest.metrics.series', { ...valid, maxPoints: 0 }),
      raw('rpc.ingest.metrics.series', { ...valid, stepSeconds: 0.5 }),
      raw('rpc.ingest.metrics.series', { ...valid, resolution: '5m' }),
      raw('rpc.ingest.metrics.series', { ...valid, hostId: 'a.b' }),
      raw('rpc.ingest.metrics.latest', { tenantId: host.tenantId, hostId: '>' }),
      raw('rpc.ingest.metrics.names', { tenantId: 'a*', hostId: host.hostId }),
      raw('rpc.ingest.export.latest', { tenantId: host.tenantId, hostIds: Array(1001).fill('h') }),
      raw('rpc.ingest.export.latest', { tenantId: host.tenantId, maxSeries: 200_001 }),
    ]);

    expect(replies.map(errorCode)).toEqual(Array(13).fill('invalid_request'));
    await expect(fleet.rpc.call('rpc.ingest.metrics.series', valid)).resolves.toMatchObject({
      resolution: 'raw',
    });
  });
});
