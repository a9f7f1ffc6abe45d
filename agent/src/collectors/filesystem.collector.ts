import { statfs as statfsOfNode } from 'node:fs/promises';
import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { readText } from './host-files';
import { reportableMounts } from './mount-filter';
import { type MountEntry, parseMountInfo, parseProcMounts } from './mountinfo.parser';
import { SampleList } from './sample-list';

/** What statfs(2) says of a filesystem; counts are in blocks of `bsize` bytes, or inodes. */
export interface FilesystemStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

export type Statfs = (path: string) => Promise<FilesystemStats>;

const nodeStatfs: Statfs = (path) => statfsOfNode(path);

export interface FilesystemOptions {
  statfs?: Statfs;
  statfsTimeoutMs?: number;
}

/**
 * Usage and inodes of each mounted filesystem (mounts from /proc/self/mountinfo, sizes from statfs).
 * A statfs that hangs (an unreachable NFS server) holds a libuv thread until it returns: such a
 * mount is skipped until that call has come back, so the agent never piles up stuck threads.
 */
export class FilesystemCollector implements Collector {
  readonly name = 'filesystem';
  private readonly stuck = new Set<string>();
  private readonly statfs: Statfs;
  private readonly statfsTimeoutMs: number;

  constructor(
    private readonly context: CollectorContext,
    options: FilesystemOptions = {},
  ) {
    this.statfs = options.statfs ?? nodeStatfs;
    this.statfsTimeoutMs = options.statfsTimeoutMs ?? 1_000;
  }

  async collect(): Promise<Sample[]> {
    const mounts = reportableMounts(this.readMounts());
    const list = new SampleList();
    const stats = await Promise.all(mounts.map((mount) => this.stats(mount.mountPoint)));
    mounts.forEach((mount, index) => addUsage(list, mount, stats[index]));
    return list.samples;
  }

  private readMounts(): MountEntry[] {
    const proc = this.context.paths.proc;
    const mountinfo = readText(join(proc, 'self', 'mountinfo'));
    if (mountinfo !== undefined) return parseMountInfo(mountinfo);
    const mounts = readText(join(proc, 'mounts'));
    return mounts === undefined ? [] : parseProcMounts(mounts);
  }

  private async stats(mountPoint: string): Promise<FilesystemStats | undefined> {
    if (this.stuck.has(mountPoint)) return undefined;
    const call = this.statfs(mountPoint).then(
      (stats) => ({ stats }),
      () => ({ stats: undefined }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.statfsTimeoutMs)),
    );
    const outcome = await Promise.race([call, timeout]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return outcome.stats;
    this.stuck.add(mountPoint);
    void call.then(() => this.stuck.delete(mountPoint));
    return undefined;
  }
}

function addUsage(list: SampleList, mount: MountEntry, stats: FilesystemStats | undefined): void {
  if (!stats || !(stats.blocks > 0) || !(stats.bsize > 0)) return;
  const labels = { mount: mount.mountPoint, device: mount.source, fstype: mount.fsType };
  const used = Math.max(0, stats.blocks - stats.bfree);
  list.add('disk.total_bytes', stats.blocks * stats.bsize, labels);
  list.add('disk.used_bytes', used * stats.bsize, labels);
  list.add('disk.free_bytes', stats.bavail * stats.bsize, labels);
  // As df: the share of what non-root users could ever use, so reserved blocks count as unusable.
  if (used + stats.bavail > 0) list.add('disk.used_pct', (used / (used + stats.bavail)) * 100, labels);
  if (!(stats.files > 0)) return;
  const inodesUsed = Math.max(0, stats.files - stats.ffree);
  list.add('disk.inodes_total', stats.files, labels);
  list.add('disk.inodes_used', inodesUsed, labels);
  list.add('disk.inodes_used_pct', (inodesUsed / stats.files) * 100, labels);
}
