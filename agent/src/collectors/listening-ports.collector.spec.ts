import { fixtureContext, invalidSamples, scratchContext } from '../../test/fixtures/fixture-host';
import { ListeningPortsCollector } from './listening-ports.collector';
import { parseListeningSockets } from './proc-net-socket.parser';

const endpoints = (samples: { labels?: Record<string, string> }[]) =>
  samples.map(
    ({ labels }) => `${labels?.protocol} ${labels?.address} ${labels?.port} ${labels?.process ?? '-'}`,
  );

describe(ListeningPortsCollector.name, () => {
  it('should list the listening sockets of a captured machine with the processes that hold them', async () => {
    const samples = await new ListeningPortsCollector(fixtureContext('debian-firecracker')).collect();

    expect(endpoints(samples)).toEqual([
      'tcp 127.0.0.1 1883 mosquitto',
      'tcp 0.0.0.0 2024 -',
      'tcp 127.0.0.1 3306 mariadbd',
      'tcp 127.0.0.1 4222 nats-server',
      'tcp 127.0.0.1 4369 epmd',
      'tcp ::1 4369 epmd',
      'tcp 127.0.0.1 5432 postgres',
      'tcp 127.0.0.1 5672 beam.smp',
      'tcp 127.0.0.1 6379 redis-server',
      'tcp ::1 6379 redis-server',
      'tcp 127.0.0.1 25672 beam.smp',
    ]);
    expect(samples.every((sample) => sample.name === 'net.listening_port' && sample.value === 1)).toBe(true);
  });

  it('should list unconnected UDP sockets, IPv6 and v4-mapped addresses, and one sample per shared socket', async () => {
    const samples = await new ListeningPortsCollector(fixtureContext('hostile-processes')).collect();

    expect(endpoints(samples).filter((endpoint) => !/ 80(8[0-4]|86) /.test(endpoint))).toEqual([
      'udp 127.0.0.53 53 systemd-resolve',
      'tcp 0.0.0.0 80 nginx',
      'tcp :: 80 nginx',
      'udp 0.0.0.0 5353 avahi-daemon',
      'tcp ::ffff:127.0.0.1 8085 ?gnp.exe',
    ]);
  });

  it('should make hostile process names safe label values', async () => {
    const samples = await new ListeningPortsCollector(fixtureContext('hostile-processes')).collect();

    const processOn = (port: string) =>
      samples.find((sample) => sample.labels?.port === port)?.labels?.process;
    expect(processOn('8080')).toBe('evil?name');
    expect(processOn('8081')).toBe('?[31mred??');
    expect(processOn('8082')).toBe(`${'A'.repeat(255)}…`);
    expect(processOn('8083')).toBe('naïve-😀-проц');
    expect(processOn('8085')).toBe('?gnp.exe');
    expect(processOn('8086')).toBe('\uFFFD\uFFFD\uFFFDbytes');
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should scan again only once a minute', async () => {
    const context = scratchContext();
    const listener = (inode: number, port: string) =>
      `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:${port} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0 100 0 0 10 0\n`;
    context.write('proc/net/tcp', listener(1, '0016'));
    const sut = new ListeningPortsCollector(context);

    const first = await sut.collect();
    context.write('proc/net/tcp', listener(2, '0050'));
    context.advance(30_000);
    const cached = await sut.collect();
    context.advance(30_000);
    const fresh = await sut.collect();

    expect(endpoints(first)).toEqual(['tcp 0.0.0.0 22 -']);
    expect(cached).toEqual(first);
    expect(endpoints(fresh)).toEqual(['tcp 0.0.0.0 80 -']);
  });

  it('should give nothing for garbage or missing socket tables', async () => {
    expect(await new ListeningPortsCollector(fixtureContext('garbage')).collect()).toEqual([]);
    expect(await new ListeningPortsCollector(fixtureContext('no-such-host')).collect()).toEqual([]);
  });
});

describe(parseListeningSockets.name, () => {
  it('should read addresses in big-endian order on big-endian hosts', () => {
    const text = '   0: 7F000001:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 7 1\n';

    expect(parseListeningSockets(text, 'tcp', false)).toEqual([
      { protocol: 'tcp', address: '127.0.0.1', port: 22, inode: '7' },
    ]);
  });

  it('should leave out connected and closed TCP sockets', () => {
    const text = [
      '   0: 0100007F:0016 0100007F:C000 01 0:0 0:0 0 0 0 7 1',
      '   1: 0100007F:0017 00000000:0000 07 0:0 0:0 0 0 0 8 1',
    ].join('\n');

    expect(parseListeningSockets(text, 'tcp', true)).toEqual([]);
  });
});
