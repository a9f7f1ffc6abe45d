import { fixtureContext, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { SystemCollector } from './system.collector';

describe(SystemCollector.name, () => {
  it('should read load averages, uptime and count the process folders of a captured /proc', async () => {
    const samples = await new SystemCollector(fixtureContext('debian-firecracker')).collect();

    expect(valueOf(samples, 'load.1m')).toBe(11.12);
    expect(valueOf(samples, 'load.5m')).toBe(4.21);
    expect(valueOf(samples, 'load.15m')).toBe(1.57);
    expect(valueOf(samples, 'system.uptime_seconds')).toBe(315.69);
    // The fixture keeps the process folders of the processes that listen on sockets.
    expect(valueOf(samples, 'processes.total')).toBe(8);
  });

  it('should leave out the process count when /proc has no process folder', async () => {
    const context = scratchContext();
    context.write('proc/loadavg', '2.41 1.97 1.63 3/1421 2388109\n');

    const samples = await new SystemCollector(context).collect();

    expect(samples).toEqual([
      { name: 'load.1m', value: 2.41 },
      { name: 'load.5m', value: 1.97 },
      { name: 'load.15m', value: 1.63 },
    ]);
  });

  it('should give nothing for NaN load, an uptime that is a folder, or a missing /proc', async () => {
    // The garbage tree's only process folder is /proc/1.
    expect(await new SystemCollector(fixtureContext('garbage')).collect()).toEqual([
      { name: 'processes.total', value: 1 },
    ]);
    expect(await new SystemCollector(fixtureContext('no-such-host')).collect()).toEqual([]);
  });
});
