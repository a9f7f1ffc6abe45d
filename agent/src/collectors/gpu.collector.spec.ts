import { commandOutput, fixtureContext, invalidSamples, ok, valueOf } from '../../test/fixtures/fixture-host';
import { GpuCollector } from './gpu.collector';
import { parseNvidiaSmi } from './nvidia-smi.parser';

const QUERY =
  'nvidia-smi --query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits';

describe(GpuCollector.name, () => {
  it('should report each GPU and leave out what nvidia-smi calls [N/A] or [Not Supported]', async () => {
    const context = fixtureContext('bare-metal', { [QUERY]: ok(commandOutput('nvidia-smi-query-gpu.txt')) });

    const samples = await new GpuCollector(context).collect();

    const a100 = {
      gpu: '0',
      name: 'NVIDIA A100-SXM4-40GB',
      uuid: 'GPU-6f3c8e2a-91b4-4d7e-8a1c-2b5f9e0d3c47',
    };
    expect(valueOf(samples, 'gpu.utilization_pct', a100)).toBe(87);
    expect(valueOf(samples, 'gpu.memory_used_bytes', a100)).toBe(30_421 * 1024 * 1024);
    expect(valueOf(samples, 'gpu.memory_total_bytes', a100)).toBe(40_960 * 1024 * 1024);
    expect(valueOf(samples, 'gpu.memory_used_pct', a100)).toBe(74.27);
    expect(valueOf(samples, 'gpu.temperature_celsius', a100)).toBe(64);
    expect(valueOf(samples, 'gpu.power_watts', a100)).toBe(312.45);
    expect(samples.filter((sample) => sample.labels?.gpu === '1').map((sample) => sample.name)).toEqual([
      'gpu.utilization_pct',
      'gpu.memory_used_bytes',
      'gpu.memory_total_bytes',
      'gpu.memory_used_pct',
    ]);
    expect(samples.filter((sample) => sample.labels?.gpu === '2').map((sample) => sample.name)).toEqual([
      'gpu.memory_total_bytes',
      'gpu.temperature_celsius',
      'gpu.power_watts',
    ]);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should start nvidia-smi at most every 30 s and repeat its last answer in between', async () => {
    const context = fixtureContext('bare-metal', { [QUERY]: ok(commandOutput('nvidia-smi-query-gpu.txt')) });
    const sut = new GpuCollector(context);

    const first = await sut.collect();
    context.advance(20_000);
    const second = await sut.collect();
    context.advance(10_000);
    await sut.collect();

    expect(second).toEqual(first);
    expect(context.runner.calls).toHaveLength(2);
  });

  it('should look for a missing nvidia-smi again only after ten minutes', async () => {
    const context = fixtureContext('docker-container');
    const sut = new GpuCollector(context);

    await sut.collect();
    context.advance(599_999);
    await sut.collect();
    expect(context.runner.calls).toHaveLength(1);
    context.advance(1);
    await sut.collect();

    expect(context.runner.calls).toHaveLength(2);
  });

  it('should give nothing when nvidia-smi is missing or fails without a driver', async () => {
    const missing = fixtureContext('bare-metal');
    const noDriver = fixtureContext('bare-metal', {
      [QUERY]: { code: 9, stdout: commandOutput('nvidia-smi-no-driver.txt'), stderr: '' },
    });

    expect(await new GpuCollector(missing).collect()).toEqual([]);
    expect(await new GpuCollector(noDriver).collect()).toEqual([]);
    expect(missing.runner.calls).toEqual([QUERY]);
  });
});

describe(parseNvidiaSmi.name, () => {
  it('should keep a comma in a product name', () => {
    const [gpu] = parseNvidiaSmi('0, Quadro RTX 6000, Rev. B, GPU-1, 5, 10, 20, 30, 40.5\n');

    expect(gpu).toMatchObject({
      name: 'Quadro RTX 6000, Rev. B',
      uuid: 'GPU-1',
      utilizationPct: 5,
      powerWatts: 40.5,
    });
  });
});
