import { join } from 'node:path';

import { listDirectory, readLinkTarget, readText } from './host-files';

/**
 * The names of the processes holding sockets, found through the `socket:[inode]` links in
 * /proc/[pid]/fd. That means reading every descriptor of every process, so it is done again only
 * when a socket shows up that no earlier search looked for. Processes whose descriptors the agent
 * may not read are passed over.
 */
export class SocketOwners {
  private searched = new Set<string>();
  private owners = new Map<string, Set<string>>();

  of(proc: string, inodes: ReadonlySet<string>): Map<string, Set<string>> {
    if ([...inodes].some((inode) => !this.searched.has(inode))) {
      this.owners = findSocketOwners(proc, inodes);
      this.searched = new Set(inodes);
    }
    return this.owners;
  }
}

export function findSocketOwners(proc: string, inodes: ReadonlySet<string>): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const pid of listDirectory(proc)) {
    if (!/^\d+$/.test(pid)) continue;
    const fdFolder = join(proc, pid, 'fd');
    const held = listDirectory(fdFolder)
      .map((fd) => /^socket:\[(\d+)\]$/.exec(readLinkTarget(join(fdFolder, fd)) ?? '')?.[1])
      .filter((inode): inode is string => inode !== undefined && inodes.has(inode));
    if (held.length === 0) continue;
    const name = processName(readText(join(proc, pid, 'comm'))) ?? `pid ${pid}`;
    for (const inode of held) {
      const names = owners.get(inode) ?? new Set<string>();
      names.add(name);
      owners.set(inode, names);
    }
  }
  return owners;
}

// comm ends with one newline; any other character, newlines included, belongs to the name.
function processName(comm: string | undefined): string | undefined {
  if (comm === undefined) return undefined;
  const name = comm.endsWith('\n') ? comm.slice(0, -1) : comm;
  return name === '' ? undefined : name;
}
