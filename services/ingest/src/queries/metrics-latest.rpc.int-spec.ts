import { randomUUID } from 'node:crypto';

import { errorCode, rpcFailure } from './testing/fleet-test-app';
import { MetricsRpc } from './metrics.rpc';
import { DAY_MS, useMetricsFixture } from './testing/metrics-fixture';

describe(`${MetricsRpc.name} latest, names and refusals`, () => {
  const fixture = useMetricsFixture();
  const { base, at, iso, hostWithSamples, series } = fixture;

  it('should answer host.not_found for a missing host and for another tenant host', async () => {
    const { host } = await hostWithSamples([1]);
    const stranger = randomUUID();
    const asStranger = { tenantId: stranger, hostId: host.hostId };

    const failures = await Promise.all([
      rpcFailure(series({ ...host, tenantId: stranger }, {})),
      rpcFailure(series({ ...host, hostId: 'missing' }, {})),
      rpcFailure(fixture.fleet.rpc.call('rpc.ingest.metrics.latest', asStranger)),
      rpcFailure(fixture.fleet.rpc.call('rpc.ingest.metrics.names', asStranger)),
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
    const host = await fixture.fleet.seed.host({ tenantId });
    const older = await fixture.fleet.seed.seriesSet(host.key, [
      { name: 'cpu.usage_pct' },
      { name: 'mem.used_pct' },
    ]);
    const newer = await fixture.fleet.seed.seriesSet(host.key, [
      { name: 'disk.used_pct', labels: { mount: '/' } },
      { name: 'cpu.usage_pct' },
    ]);
    const broken = await fixture.fleet.seed.seriesSet(host.key, [{ name: 'load.1m' }]);
    await fixture.fleet.seed.latest(host.key, older.setId, at(0), [1, 2]);
    await fixture.fleet.seed.latest(host.key, newer.setId, at(10), [7, 5]);
    await fixture.fleet.seed.latest(host.key, broken.setId, at(10), [Number.NaN]);

    const all = await fixture.fleet.rpc.call('rpc.ingest.metrics.latest', { tenantId, hostId: host.hostId });
    const some = await fixture.fleet.rpc.call('rpc.ingest.metrics.latest', {
      tenantId,
      hostId: host.hostId,
      names: ['mem.used_pct'],
    });
    const names = await fixture.fleet.rpc.call('rpc.ingest.metrics.names', { tenantId, hostId: host.hostId });

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
      fixture.nats.requestRaw<{ ok: boolean; error?: { code: string } }>(subject, JSON.stringify(body));

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
    await expect(fixture.fleet.rpc.call('rpc.ingest.metrics.series', valid)).resolves.toMatchObject({
      resolution: 'raw',
    });
  });
});
