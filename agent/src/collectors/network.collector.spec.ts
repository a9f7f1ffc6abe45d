import { fixtureContext, invalidSamples, valueOf } from '../../test/fixtures/fixture-host';
import { parseNetDev } from './net-dev.parser';
import { NetworkCollector } from './network.collector';

describe(NetworkCollector.name, () => {
  it('should give byte counters of every interface but loopback, and no rates, on the first reading', async () => {
    const samples = await new NetworkCollector(fixtureContext('bare-metal')).collect();

    expect(samples.map((sample) => `${sample.name} ${sample.labels?.interface}`)).toEqual([
      'net.rx_bytes eno1',
      'net.tx_bytes eno1',
      'net.rx_bytes eno2',
      'net.tx_bytes eno2',
      'net.rx_bytes docker0',
      'net.tx_bytes docker0',
    ]);
    expect(valueOf(samples, 'net.rx_bytes', { interface: 'eno1' })).toBe(8_128_394_829_102);
  });

  it('should turn two readings into per-second rates', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new NetworkCollector(context);
    await sut.collect();
    context.advance(10_000);
    context.useLater();

    const samples = await sut.collect();

    const eno1 = { interface: 'eno1' };
    expect(valueOf(samples, 'net.rx_bytes_per_sec', eno1)).toBe(1_250_000);
    expect(valueOf(samples, 'net.tx_bytes_per_sec', eno1)).toBe(250_000);
    expect(valueOf(samples, 'net.rx_packets_per_sec', eno1)).toBe(1_000);
    expect(valueOf(samples, 'net.tx_packets_per_sec', eno1)).toBe(500);
    expect(valueOf(samples, 'net.rx_errors_per_sec', eno1)).toBe(0.2);
    expect(valueOf(samples, 'net.rx_dropped_per_sec', eno1)).toBe(0.5);
    expect(valueOf(samples, 'net.tx_dropped_per_sec', eno1)).toBe(0);
    expect(valueOf(samples, 'net.rx_bytes_per_sec', { interface: 'eno2' })).toBe(0);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should give no rates for an interface whose counters were reset', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new NetworkCollector(context);
    await sut.collect();
    context.advance(10_000);
    context.useLater();

    const samples = await sut.collect();

    expect(
      samples.filter((sample) => sample.labels?.interface === 'docker0').map((sample) => sample.name),
    ).toEqual(['net.rx_bytes', 'net.tx_bytes']);
  });

  it('should give rates from two readings captured on a real machine', async () => {
    const context = fixtureContext('debian-firecracker');
    const sut = new NetworkCollector(context);
    await sut.collect();
    context.advance(2_960);
    context.useLater();

    const samples = await sut.collect();

    expect(valueOf(samples, 'net.rx_bytes_per_sec', { interface: 'eth0' })).toBe(346_897.635);
    expect(valueOf(samples, 'net.rx_bytes', { interface: 'lo' })).toBeUndefined();
  });

  it('should give no rates when the clock went backwards', async () => {
    const context = fixtureContext('bare-metal');
    const sut = new NetworkCollector(context);
    await sut.collect();
    context.advance(-10_000);
    context.useLater();

    const samples = await sut.collect();

    expect(samples.filter((sample) => sample.name.endsWith('_per_sec'))).toEqual([]);
  });

  it('should give nothing for garbage or a missing /proc/net/dev', async () => {
    expect(await new NetworkCollector(fixtureContext('garbage')).collect()).toEqual([]);
    expect(await new NetworkCollector(fixtureContext('no-such-host')).collect()).toEqual([]);
  });
});

describe(parseNetDev.name, () => {
  it('should read lines where a large counter touches the colon', () => {
    const line = 'eth0:12345678901 2 0 0 0 0 0 0 5 6 0 0 0 0 0 0';

    expect(parseNetDev(line).get('eth0')).toMatchObject({
      rxBytes: 12_345_678_901,
      rxPackets: 2,
      txBytes: 5,
      txPackets: 6,
    });
  });
});
