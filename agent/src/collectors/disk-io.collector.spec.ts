import { fixtureContext, invalidSamples, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { DiskIoCollector } from './disk-io.collector';

const devicesOf = (samples: { name: string; labels?: Record<string, string> }[]) =>
  samples.filter((sample) => sample.name === 'disk.read_bytes').map((sample) => sample.labels?.device);

describe(DiskIoCollector.name, () => {
  it('should give byte counters but no rates on the first reading', async () => {
    const sut = new DiskIoCollector(fixtureContext('bare-metal'));

    const samples = await sut.collect();

    expect(valueOf(samples, 'disk.read_bytes', { device: 'sda' })).toBe(512_034_146 * 512);
    expect(samples.filter((sample) => sample.name.endsWith('_per_sec'))).toEqual([]);
  });

  it('should report whole devices only, without loop, ram or partitions', async () => {
    const samples = await new DiskIoCollector(fixtureContext('bare-metal')).collect();

    expect(devicesOf(samples)).toEqual(['sda', 'nvme0n1', 'dm-0', 'md0']);
  });

  it('should turn two readings into throughput, IOPS, latency and utilisation', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new DiskIoCollector(context);
    await sut.collect();
    context.advance(10_000);
    context.useLater();

    const samples = await sut.collect();

    const sda = { device: 'sda' };
    expect(valueOf(samples, 'disk.read_bytes_per_sec', sda)).toBe(81_920);
    expect(valueOf(samples, 'disk.write_bytes_per_sec', sda)).toBe(409_600);
    expect(valueOf(samples, 'disk.reads_per_sec', sda)).toBe(20);
    expect(valueOf(samples, 'disk.writes_per_sec', sda)).toBe(50);
    expect(valueOf(samples, 'disk.await_ms', sda)).toBe(5.429);
    expect(valueOf(samples, 'disk.io_util_pct', sda)).toBe(25);
    expect(valueOf(samples, 'disk.io_util_pct', { device: 'nvme0n1' })).toBe(100);
    expect(valueOf(samples, 'disk.await_ms', { device: 'md0' })).toBe(0);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should give rates on two readings captured on a real machine', async () => {
    const context = fixtureContext('debian-firecracker');
    const sut = new DiskIoCollector(context);
    await sut.collect();
    context.advance(2_970);
    context.useLater();

    const samples = await sut.collect();

    expect(devicesOf(samples)).toEqual(['vda']);
    expect(valueOf(samples, 'disk.write_bytes_per_sec', { device: 'vda' })).toBeGreaterThan(1_000_000);
  });

  it('should skip a device whose counters went down (reset) and resume on the next interval', async () => {
    const context = scratchContext();
    const line = (reads: number) => `   8 0 sda ${reads} 0 ${reads * 8} 10 0 0 0 0 0 10 10\n`;
    const sut = new DiskIoCollector(context);
    context.write('proc/diskstats', line(1000));
    await sut.collect();
    context.write('proc/diskstats', line(10));
    context.advance(10_000);

    expect(valueOf(await sut.collect(), 'disk.reads_per_sec', { device: 'sda' })).toBeUndefined();

    context.write('proc/diskstats', line(110));
    context.advance(10_000);
    expect(valueOf(await sut.collect(), 'disk.reads_per_sec', { device: 'sda' })).toBe(10);
  });

  it('should give no rates when the clock went backwards', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new DiskIoCollector(context);
    await sut.collect();
    context.advance(-1);
    context.useLater();

    const samples = await sut.collect();

    expect(samples.filter((sample) => sample.name.endsWith('_per_sec'))).toEqual([]);
    expect(valueOf(samples, 'disk.write_bytes', { device: 'sda' })).toBe(1_790_448_816 * 512);
  });

  it('should recognise partitions by name when /sys/block cannot be read', async () => {
    const context = scratchContext();
    context.write(
      'proc/diskstats',
      ['sda', 'sda1', 'nvme0n1', 'nvme0n1p2', 'mmcblk0p1', 'loop3']
        .map((name) => `8 0 ${name} 1 0 8 1 1 0 8 1 0 1 2\n`)
        .join(''),
    );

    expect(devicesOf(await new DiskIoCollector(context).collect())).toEqual(['sda', 'nvme0n1']);
  });

  it('should give nothing for garbage or a missing /proc/diskstats', async () => {
    expect(await new DiskIoCollector(fixtureContext('garbage')).collect()).toEqual([]);
    expect(await new DiskIoCollector(fixtureContext('no-such-host')).collect()).toEqual([]);
  });
});
