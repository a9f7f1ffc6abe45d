import { fixtureContext, invalidSamples, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { parseMeminfo } from './meminfo.parser';
import { MemoryCollector } from './memory.collector';

describe(MemoryCollector.name, () => {
  it('should count as used what is not available, and swap used as total minus free', async () => {
    const sut = new MemoryCollector(fixtureContext('bare-metal'));

    const samples = await sut.collect();

    expect(valueOf(samples, 'mem.total_bytes')).toBe(131_598_628 * 1024);
    expect(valueOf(samples, 'mem.available_bytes')).toBe(98_764_516 * 1024);
    expect(valueOf(samples, 'mem.used_bytes')).toBe((131_598_628 - 98_764_516) * 1024);
    expect(valueOf(samples, 'mem.used_pct')).toBeCloseTo(24.95, 2);
    expect(valueOf(samples, 'mem.cached_bytes')).toBe((84_730_236 + 5_412_216) * 1024);
    expect(valueOf(samples, 'swap.total_bytes')).toBe(8_388_604 * 1024);
    expect(valueOf(samples, 'swap.used_bytes')).toBe((8_388_604 - 6_291_452) * 1024);
    expect(valueOf(samples, 'swap.used_pct')).toBeCloseTo(25, 1);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should report swap as 0 % used on a captured machine without swap', async () => {
    const samples = await new MemoryCollector(fixtureContext('debian-firecracker')).collect();

    expect(valueOf(samples, 'swap.total_bytes')).toBe(0);
    expect(valueOf(samples, 'swap.used_pct')).toBe(0);
    expect(valueOf(samples, 'mem.used_pct')).toBeGreaterThan(0);
  });

  it('should estimate what is available on kernels without MemAvailable', async () => {
    const context = scratchContext();
    context.write('proc/meminfo', 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n');

    const samples = await new MemoryCollector(context).collect();

    expect(valueOf(samples, 'mem.available_bytes')).toBe(400 * 1024);
    expect(valueOf(samples, 'mem.used_pct')).toBe(60);
  });

  it('should give nothing for garbage or a missing /proc/meminfo', async () => {
    expect(await new MemoryCollector(fixtureContext('garbage')).collect()).toEqual([]);
    expect(await new MemoryCollector(fixtureContext('no-such-host')).collect()).toEqual([]);
  });
});

describe(parseMeminfo.name, () => {
  it('should read kB as KiB and keep counts without a unit as they are', () => {
    const fields = parseMeminfo(
      'MemTotal:  2 kB\nHugePages_Total:      3\nActive(anon): 1 kB\nbroken line\n',
    );

    expect(Object.fromEntries(fields)).toEqual({ MemTotal: 2048, HugePages_Total: 3, 'Active(anon)': 1024 });
  });
});
