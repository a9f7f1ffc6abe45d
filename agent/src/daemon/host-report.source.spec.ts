import type { Sample } from '@optralis/contracts';
import { strictMock } from '@optralis/testing/vitest';

import type { Collector } from '../collectors/collector';
import type { Logger } from '../reporting/logger';
import { hashOf, HostReportSource, type HostReportSourceOptions } from './host-report.source';

describe(HostReportSource.name, () => {
  const collector = (name: string, collect: () => Promise<Sample[]>): Collector => ({ name, collect });
  const fixed = (name: string, samples: Sample[]) => collector(name, async () => samples);

  const setup = (overrides: Partial<HostReportSourceOptions> = {}) => {
    const logger = strictMock<Logger>(['debug', 'info', 'warn', 'error']);
    for (const method of ['debug', 'info', 'warn'] as const) logger[method].mockReturnValue(undefined);
    const collectInventory = vi.fn(
      async (): Promise<Record<string, unknown>> => ({ os: { name: 'Debian' }, cpu: { cores: 2 } }),
    );
    const sut = new HostReportSource({
      collectors: [fixed('cpu', [{ name: 'cpu.usage_pct', value: 12.5 }])],
      collectInventory,
      inventoryRefreshMs: 600_000,
      inventoryTimeoutMs: 1000,
      collectorTimeoutMs: () => 200,
      logger,
      ...overrides,
    });
    return { sut, logger, collectInventory };
  };
  const names = (samples: Sample[]) => samples.map((sample) => sample.name);
  const selfValue = (samples: Sample[], name: string, collector?: string) =>
    samples.find((sample) => sample.name === name && sample.labels?.collector === collector)?.value;

  it('should merge the collectors and add the inventory on the first cycle only', async () => {
    const { sut } = setup({
      collectors: [
        fixed('cpu', [{ name: 'cpu.usage_pct', value: 12.5 }]),
        fixed('memory', [{ name: 'memory.used_pct', value: 40 }]),
      ],
    });

    const first = await sut.next();
    const second = await sut.next();

    expect(names(first.metrics).slice(0, 2)).toEqual(['cpu.usage_pct', 'memory.used_pct']);
    expect(first.metrics).toEqual(
      expect.arrayContaining([
        { name: 'agent.cycle', value: 1 },
        { name: 'agent.collector.ok', value: 1, labels: { collector: 'memory' } },
        { name: 'agent.process.rss_bytes', value: expect.any(Number) },
      ]),
    );
    expect(first.inventory).toEqual({ os: { name: 'Debian' }, cpu: { cores: 2 } });
    expect(second.inventory).toBeUndefined();
    expect(second.metrics).toContainEqual({ name: 'agent.cycle', value: 2 });
  });

  /** Runs cycles, moving the clock past the refresh interval before the ones listed, and returns the inventories sent. */
  const inventoriesSent = async (sut: HostReportSource, clock: { now: number }, refreshBefore: number[]) => {
    const sent: unknown[] = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      if (refreshBefore.includes(cycle)) clock.now += 600_000;
      const content = await sut.next();
      if (content.inventory !== undefined) sent.push(content.inventory);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return sent;
  };

  it('should send the inventory again only when a refresh finds it changed', async () => {
    const clock = { now: 0 };
    const { sut, collectInventory } = setup({ now: () => clock.now });
    collectInventory
      .mockResolvedValueOnce({ a: 1, b: { c: 2 } })
      .mockResolvedValueOnce({ b: { c: 2 }, a: 1 })
      .mockResolvedValue({ a: 2, b: { c: 2 } });

    const sent = await inventoriesSent(sut, clock, [2, 4]);

    expect(collectInventory).toHaveBeenCalledTimes(3);
    expect(sent).toEqual([
      { a: 1, b: { c: 2 } },
      { a: 2, b: { c: 2 } },
    ]);
  });

  it('should cost a failing or hanging collector only its own samples', async () => {
    const { sut, logger } = setup({
      collectors: [
        fixed('cpu', [{ name: 'cpu.usage_pct', value: 1 }]),
        collector('broken', async () => {
          throw new Error('cannot read /proc/stat');
        }),
        collector('stuck', () => new Promise(() => undefined)),
      ],
    });

    const content = await sut.next();

    expect(content.metrics[0]).toEqual({ name: 'cpu.usage_pct', value: 1 });
    expect(selfValue(content.metrics, 'agent.collector.ok', 'broken')).toBe(0);
    expect(selfValue(content.metrics, 'agent.collector.ok', 'stuck')).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith('collector failed', {
      collector: 'broken',
      error: 'cannot read /proc/stat',
    });
    expect(logger.warn).toHaveBeenCalledWith('collector failed', {
      collector: 'stuck',
      error: 'timed out after 200 ms',
    });
  });

  it('should log a collector failure once and its recovery once', async () => {
    let fail = true;
    const { sut, logger } = setup({
      collectors: [
        collector('flaky', async () => {
          if (fail) throw new Error('boom');
          return [];
        }),
      ],
    });

    await sut.next();
    await sut.next();
    fail = false;
    await sut.next();
    await sut.next();

    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith('collector recovered', { collector: 'flaky' });
    expect(logger.info).toHaveBeenCalledTimes(1);
  });

  it('should drop samples the ingest would refuse and duplicate series, and count them', async () => {
    const { sut } = setup({
      collectors: [
        fixed('bad', [
          { name: 'bad name', value: 1 },
          { name: 'ok.value', value: Number.NaN },
          { name: 'ok.value', value: Number.POSITIVE_INFINITY },
          { name: 'ok.value', value: 1, labels: { a: '1', b: '2' } },
          { name: 'ok.value', value: 2, labels: { b: '2', a: '1' } },
          { name: 'ok.value', value: 3, labels: { ['']: 'empty key' } },
        ]),
      ],
    });

    const content = await sut.next();

    expect(content.metrics.filter((sample) => sample.name === 'ok.value')).toEqual([
      { name: 'ok.value', value: 1, labels: { a: '1', b: '2' } },
    ]);
    expect(selfValue(content.metrics, 'agent.samples_dropped')).toBe(5);
  });

  it('should report without an inventory when collecting it fails, and try again later', async () => {
    const clock = { now: 0 };
    const { sut, logger, collectInventory } = setup({ now: () => clock.now });
    collectInventory
      .mockRejectedValueOnce(new Error('dmidecode missing'))
      .mockResolvedValue({ os: 'Debian' });

    const sent = await inventoriesSent(sut, clock, [3]);

    expect(logger.warn).toHaveBeenCalledWith('inventory collection failed', { error: 'dmidecode missing' });
    expect(sent).toEqual([{ os: 'Debian' }]);
  });

  it('should refuse an inventory the contract would refuse', async () => {
    const { sut, logger, collectInventory } = setup();
    collectInventory.mockResolvedValueOnce({ ['k'.repeat(129)]: 1 });

    const content = await sut.next();

    expect(content.inventory).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith('inventory collection failed', {
      error: expect.stringContaining('not a valid inventory'),
    });
  });
});

describe(hashOf.name, () => {
  it('should ignore key order and undefined values', () => {
    expect(hashOf({ a: 1, b: [1, { c: 2, d: 3 }], e: undefined })).toBe(
      hashOf({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(hashOf({ a: [1, 2] })).not.toBe(hashOf({ a: [2, 1] }));
  });
});
