import { fixtureContext, invalidSamples, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { CpuCollector } from './cpu.collector';
import { cpuShares, parseProcStat } from './proc-stat.parser';

describe(CpuCollector.name, () => {
  it('should give no samples, not zeros, on the first reading', async () => {
    const sut = new CpuCollector(fixtureContext('bare-metal'));

    expect(await sut.collect()).toEqual([]);
  });

  it('should give the shares of the interval between two readings', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new CpuCollector(context);
    await sut.collect();
    context.advance(10_000);
    context.useLater();

    const samples = await sut.collect();

    expect(valueOf(samples, 'cpu.usage_pct')).toBe(37.5);
    expect(valueOf(samples, 'cpu.user_pct')).toBe(25);
    expect(valueOf(samples, 'cpu.system_pct')).toBe(10);
    expect(valueOf(samples, 'cpu.iowait_pct')).toBe(2.5);
    expect(valueOf(samples, 'cpu.irq_pct')).toBe(2.5);
    expect(valueOf(samples, 'cpu.steal_pct')).toBe(0);
    expect(valueOf(samples, 'cpu.idle_pct')).toBe(60);
    expect(valueOf(samples, 'cpu.core.usage_pct', { cpu: '0' })).toBe(50);
    expect(valueOf(samples, 'cpu.core.usage_pct', { cpu: '1' })).toBe(20);
    expect(valueOf(samples, 'cpu.core.iowait_pct', { cpu: '1' })).toBe(10);
    expect(samples.filter((sample) => sample.name === 'cpu.core.usage_pct')).toHaveLength(4);
    expect(samples.filter((sample) => sample.name === 'cpu.usage_pct' && sample.labels)).toEqual([]);
  });

  it('should give shares that add up to 100 on a captured machine', async () => {
    const context = fixtureContext('debian-firecracker');
    const sut = new CpuCollector(context);
    await sut.collect();
    context.advance(2_970);
    context.useLater();

    const samples = await sut.collect();

    const parts = ['user', 'nice', 'system', 'iowait', 'irq', 'steal', 'idle'].map(
      (state) => valueOf(samples, `cpu.${state}_pct`) ?? Number.NaN,
    );
    expect(parts.reduce((sum, part) => sum + part, 0)).toBeCloseTo(100, 1);
    expect(valueOf(samples, 'cpu.usage_pct')).toBeGreaterThan(0);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should skip the interval when the clock goes backwards, then resume', async () => {
    const context = scratchContext();
    const sut = new CpuCollector(context);
    context.write('proc/stat', 'cpu  100 0 100 800 0 0 0 0 0 0\n');
    await sut.collect();
    context.write('proc/stat', 'cpu  200 0 200 1600 0 0 0 0 0 0\n');
    context.advance(-5_000);

    expect(await sut.collect()).toEqual([]);

    context.write('proc/stat', 'cpu  700 0 200 2100 0 0 0 0 0 0\n');
    context.advance(10_000);
    expect(valueOf(await sut.collect(), 'cpu.usage_pct')).toBe(50);
  });

  it('should give nothing when /proc/stat is missing or garbage', async () => {
    const garbage = new CpuCollector(fixtureContext('garbage'));
    const missing = new CpuCollector(fixtureContext('no-such-host'));

    for (let cycle = 0; cycle < 2; cycle++) {
      expect(await garbage.collect()).toEqual([]);
      expect(await missing.collect()).toEqual([]);
    }
  });
});

describe(parseProcStat.name, () => {
  it('should read the four-field lines of old kernels with the other states as zero', () => {
    const times = parseProcStat('cpu  10 20 30 40\ncpu0 10 20 30 40\nintr 5\n');

    expect(times.get('cpu')).toEqual({
      user: 10,
      nice: 20,
      system: 30,
      idle: 40,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    });
    expect([...times.keys()]).toEqual(['cpu', 'cpu0']);
  });
});

describe(cpuShares.name, () => {
  const base = { user: 100, nice: 0, system: 100, idle: 100, iowait: 100, irq: 0, softirq: 0, steal: 0 };

  it('should count a state that went backwards (iowait on tickless kernels) as no time', () => {
    const shares = cpuShares(base, { ...base, user: 150, idle: 150, iowait: 90 });

    expect(shares).toMatchObject({ user: 50, idle: 50, iowait: 0 });
  });

  it('should give nothing when no time passed', () => {
    expect(cpuShares(base, base)).toBeUndefined();
  });
});
