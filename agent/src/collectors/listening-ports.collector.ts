import { endianness } from 'node:os';
import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { readText } from './host-files';
import { type ListeningSocket, parseListeningSockets } from './proc-net-socket.parser';
import { SampleList } from './sample-list';
import { SocketOwners } from './socket-owners';
import { TtlCache } from './ttl-cache';

// Listening sockets rarely change, while /proc/net/tcp grows with every connection: once a minute
// is plenty.
const REFRESH_EVERY_MS = 60_000;
const MAX_PORTS = 1_000;
const TABLES = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
] as const;

/** `net.listening_port` (value 1) for each listening TCP and unconnected UDP socket, with its process. */
export class ListeningPortsCollector implements Collector {
  readonly name = 'listening-ports';
  private readonly samples: TtlCache<Sample[]>;
  private readonly littleEndian = endianness() === 'LE';
  private readonly owners = new SocketOwners();

  constructor(private readonly context: CollectorContext) {
    this.samples = new TtlCache(
      () => context.now(),
      () => REFRESH_EVERY_MS,
    );
  }

  collect(): Promise<Sample[]> {
    return this.samples.get(() => this.scan());
  }

  private async scan(): Promise<Sample[]> {
    const proc = this.context.paths.proc;
    const sockets = TABLES.flatMap(([file, protocol]) => {
      const text = readText(join(proc, 'net', file));
      return text === undefined ? [] : parseListeningSockets(text, protocol, this.littleEndian);
    });
    if (sockets.length === 0) return [];
    return toSamples(sockets, this.owners.of(proc, new Set(sockets.map((socket) => socket.inode))));
  }
}

/** One sample per protocol, address and port: SO_REUSEPORT groups and forked workers share one. */
function toSamples(sockets: ListeningSocket[], owners: Map<string, Set<string>>): Sample[] {
  const byEndpoint = new Map<string, { socket: ListeningSocket; names: Set<string> }>();
  for (const socket of sockets) {
    const key = `${socket.protocol} ${socket.address} ${socket.port}`;
    const entry = byEndpoint.get(key) ?? { socket, names: new Set<string>() };
    for (const name of owners.get(socket.inode) ?? []) entry.names.add(name);
    byEndpoint.set(key, entry);
  }
  const entries = [...byEndpoint.values()].sort((a, b) => a.socket.port - b.socket.port).slice(0, MAX_PORTS);
  const list = new SampleList();
  for (const { socket, names } of entries) {
    const labels: Record<string, string> = {
      protocol: socket.protocol,
      address: socket.address,
      port: String(socket.port),
    };
    if (names.size > 0) labels.process = [...names].sort().join(',');
    list.add('net.listening_port', 1, labels);
  }
  return list.samples;
}
