import type { Collector, CollectorContext } from './collector';
import { CpuCollector } from './cpu.collector';
import { DiskIoCollector } from './disk-io.collector';
import { DockerCollector } from './docker.collector';
import { FilesystemCollector, type Statfs } from './filesystem.collector';
import { GpuCollector } from './gpu.collector';
import { ListeningPortsCollector } from './listening-ports.collector';
import { MemoryCollector } from './memory.collector';
import { NetworkCollector } from './network.collector';
import { SystemCollector } from './system.collector';
import { SystemdCollector } from './systemd.collector';
import { TemperatureCollector } from './temperature.collector';

export * from './collector';
export { commandRunner } from './command-runner';
export type { FilesystemStats, Statfs } from './filesystem.collector';

export interface CollectorOptions {
  /** statfs(2); tests give canned answers for the mounts of a fixture tree. */
  statfs?: Statfs;
}

/** Every built-in collector, each keeping its own previous readings for rates. */
export function createCollectors(context: CollectorContext, options: CollectorOptions = {}): Collector[] {
  return [
    new CpuCollector(context),
    new MemoryCollector(context),
    new SystemCollector(context),
    new FilesystemCollector(context, { statfs: options.statfs }),
    new DiskIoCollector(context),
    new NetworkCollector(context),
    new TemperatureCollector(context),
    new GpuCollector(context),
    new ListeningPortsCollector(context),
    new SystemdCollector(context),
    new DockerCollector(context),
  ].map(neverFailing);
}

// A collector that throws after all (a bug, not a missing file) gives no samples for that cycle; the
// others still report.
function neverFailing(collector: Collector): Collector {
  return {
    name: collector.name,
    async collect() {
      try {
        return await collector.collect();
      } catch {
        return [];
      }
    },
  };
}
