import { fixtureContext, invalidSamples } from '../../test/fixtures/fixture-host';
import { commandRunner, createCollectors, LINUX_PATHS } from './index';

describe(createCollectors.name, () => {
  it('should collect only contract-valid samples on this machine, over two cycles', async () => {
    const sut = createCollectors({ paths: LINUX_PATHS, now: () => Date.now(), run: commandRunner });

    const first = (await Promise.all(sut.map((collector) => collector.collect()))).flat();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = (await Promise.all(sut.map((collector) => collector.collect()))).flat();

    expect(sut.map((collector) => collector.name)).toEqual([
      'cpu',
      'memory',
      'system',
      'filesystem',
      'disk-io',
      'network',
      'temperature',
      'gpu',
      'listening-ports',
      'systemd',
      'docker',
    ]);
    expect(second.map((sample) => sample.name)).toEqual(
      expect.arrayContaining(['cpu.usage_pct', 'mem.used_pct', 'load.1m', 'disk.used_pct']),
    );
    expect(
      second.find((sample) => sample.name === 'disk.used_pct' && sample.labels?.mount === '/'),
    ).toBeDefined();
    expect(invalidSamples([...first, ...second])).toEqual([]);
  });

  it('should never fail a cycle, even when the command runner throws', async () => {
    const context = fixtureContext('garbage');
    context.run = () => {
      throw new Error('runner broke');
    };
    const sut = createCollectors(context, { statfs: () => Promise.reject(new Error('EIO')) });

    const samples = (await Promise.all(sut.map((collector) => collector.collect()))).flat();

    expect(samples).toEqual([{ name: 'processes.total', value: 1 }]);
  });
});
