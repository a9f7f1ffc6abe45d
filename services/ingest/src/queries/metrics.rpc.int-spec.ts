import { randomUUID } from 'node:crypto';

import { MetricsRpc } from './metrics.rpc';
import { DAY_MS, HOUR_MS, useMetricsFixture } from './testing/metrics-fixture';

describe(MetricsRpc.name, () => {
  const fixture = useMetricsFixture();
  const { at, iso, hostWithSamples, series } = fixture;

  it('should average raw samples per step when the step is under a minute', async () => {
    const { host } = await hostWithSamples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    const reply = await series(host, { stepSeconds: 30 });

    expect(reply).toEqual({
      resolution: 'raw',
      stepSeconds: 30,
      from: iso(0),
      to: iso(120),
      series: [
        {
          name: 'cpu.usage_pct',
          labels: {},
          points: [
            [iso(0), 2],
            [iso(30), 5],
            [iso(60), 8],
            [iso(90), 11],
          ],
        },
      ],
    });
  });

  it('should leave out steps without data and values that are missing', async () => {
    const { host } = await hostWithSamples([4, 6, null, null, null, null, null, null]);

    const reply = await series(host, { stepSeconds: 30 });

    expect(reply.series[0].points).toEqual([[iso(0), 5]]);
  });

  it('should average the 1 minute rollup as sum over count when the step is a minute or more', async () => {
    const { host, seriesIds } = await hostWithSamples([1000, 1000, 1000]);
    await fixture.fleet.seed.rollups('rollup_1m', [
      { seriesId: seriesIds[0], bucket: at(0), sum: 10, count: 2 },
      { seriesId: seriesIds[0], bucket: at(60), sum: 30, count: 3 },
      { seriesId: seriesIds[0], bucket: at(120), sum: 5, count: 1 },
      { seriesId: seriesIds[0], bucket: at(180), sum: 100, count: 4 },
      { seriesId: seriesIds[1], bucket: at(0), sum: 7, count: 1 },
    ]);

    const reply = await series(host, { stepSeconds: 120, to: iso(240) });

    expect(reply.resolution).toBe('1m');
    expect(reply.stepSeconds).toBe(120);
    expect(reply.series[0].points).toEqual([
      [iso(0), 8],
      [iso(120), 21],
    ]);
  });

  it('should read the 1 hour rollup when the step is an hour or more', async () => {
    const { host, seriesIds } = await hostWithSamples([1000]);
    await fixture.fleet.seed.rollups('rollup_1h', [
      { seriesId: seriesIds[0], bucket: at(0), sum: 50, count: 10 },
      { seriesId: seriesIds[0], bucket: at(3600), sum: 30, count: 2 },
    ]);

    const reply = await series(host, { stepSeconds: 3600, to: iso(7200) });

    expect(reply).toMatchObject({ resolution: '1h', stepSeconds: 3600 });
    expect(reply.series[0].points).toEqual([
      [iso(0), 5],
      [iso(3600), 15],
    ]);
  });

  it('should follow an explicit resolution and widen the step to its buckets', async () => {
    const { host } = await hostWithSamples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    const raw = await series(host, { stepSeconds: 3600, to: iso(3600), resolution: 'raw' });
    const minute = await series(host, { stepSeconds: 30, resolution: '1m' });

    expect(raw).toMatchObject({ resolution: 'raw', stepSeconds: 3600 });
    expect(raw.series[0].points).toEqual([[iso(0), 6.5]]);
    expect(minute).toMatchObject({ resolution: '1m', stepSeconds: 60 });
  });

  it('should read a coarser rollup when the range starts before a resolution is kept', async () => {
    const { host, seriesIds } = await hostWithSamples([1]);
    const eightDaysAgo = Math.floor((Date.now() - 8 * DAY_MS) / HOUR_MS) * HOUR_MS;
    await fixture.fleet.seed.rollups('rollup_1m', [
      { seriesId: seriesIds[0], bucket: new Date(eightDaysAgo), sum: 9, count: 3 },
    ]);
    const range = (start: number) => ({
      from: new Date(start).toISOString(),
      to: new Date(start + 600_000).toISOString(),
      stepSeconds: 10,
    });

    const week = await series(host, range(eightDaysAgo));
    const month = await series(host, range(Date.now() - 31 * DAY_MS));

    expect(week).toMatchObject({ resolution: '1m', stepSeconds: 60 });
    expect(week.series[0].points).toEqual([[new Date(eightDaysAgo).toISOString(), 3]]);
    expect(month).toMatchObject({ resolution: '1h', stepSeconds: 3600 });
  });

  it('should widen the step to keep at most maxPoints points with exact averages', async () => {
    const values = Array.from({ length: 360 }, (_, index) => index);
    const { host } = await hostWithSamples(values);

    const reply = await series(host, { to: iso(3600), stepSeconds: 10, maxPoints: 7, resolution: 'raw' });

    expect(reply.stepSeconds).toBeGreaterThanOrEqual(Math.ceil(3600 / 7));
    const stepMs = reply.stepSeconds * 1000;
    const buckets = new Map<number, number[]>();
    values.forEach((value, index) => {
      const bucket = Math.floor(at(index * 10).getTime() / stepMs) * stepMs;
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), value]);
    });
    const expected = [...buckets].map(([bucket, members]) => [
      new Date(bucket).toISOString(),
      members.reduce((sum, value) => sum + value, 0) / members.length,
    ]);
    expect(reply.series[0].points.length).toBeLessThanOrEqual(7);
    expect(reply.series[0].points).toEqual(expected);
  });

  it('should keep the whole answer within one NATS message when many series ask for many points', async () => {
    const tenantId = randomUUID();
    const host = await fixture.fleet.seed.host({ tenantId });
    const names = Array.from({ length: 50 }, (_, index) => `load.metric_${index}`);
    const set = await fixture.fleet.seed.seriesSet(
      host.key,
      names.map((name) => ({ name })),
    );
    await fixture.fleet.seed.samples(
      host.key,
      set.setId,
      Array.from({ length: 360 }, (_, row) => ({
        time: at(row * 10),
        values: names.map((_, index) => row + index),
      })),
    );

    const reply = await series(host, {
      names,
      to: iso(3600),
      stepSeconds: 1,
      maxPoints: 11_000,
      resolution: 'raw',
    });

    expect(reply.series).toHaveLength(50);
    expect(reply.stepSeconds).toBeGreaterThanOrEqual(10);
    expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(1024 * 1024);
    const third = reply.series.find((entry) => entry.name === 'load.metric_3');
    expect(third?.points[0]).toEqual([iso(0), expect.closeTo(3 + (reply.stepSeconds / 10 - 1) / 2, 6)]);
  });

  it('should match labels exactly and treat an empty matcher as an absent label', async () => {
    const tenantId = randomUUID();
    const host = await fixture.fleet.seed.host({ tenantId });
    const mounts: Record<string, string>[] = [{ mount: '/' }, { mount: '/var' }, {}];
    const disks = mounts.map((labels) => ({ name: 'disk.used_pct', labels }));
    const set = await fixture.fleet.seed.seriesSet(host.key, disks);
    await fixture.fleet.seed.samples(host.key, set.setId, [{ time: at(0), values: [10, 20, 30] }]);
    const disk = (labels?: Record<string, string>) =>
      series(host, { names: ['disk.used_pct'], labels, stepSeconds: 30 });

    const root = await disk({ mount: '/' });
    const unlabelled = await disk({ mount: '' });
    const all = await disk();

    expect(root.series).toEqual([{ name: 'disk.used_pct', labels: { mount: '/' }, points: [[iso(0), 10]] }]);
    expect(unlabelled.series).toEqual([{ name: 'disk.used_pct', labels: {}, points: [[iso(0), 30]] }]);
    expect(all.series.map((entry) => entry.points[0][1]).sort()).toEqual([10, 20, 30]);
  });
});
