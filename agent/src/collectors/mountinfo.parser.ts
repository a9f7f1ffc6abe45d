export interface MountEntry {
  /** `major:minor`; empty when read from /proc/mounts, which does not say. */
  deviceNumber: string;
  /** The directory of the filesystem that this mount shows (`/` unless it is a bind mount of part of it). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

/** Lines of /proc/self/mountinfo (`id parent major:minor root mountpoint options [tags…] - type source superoptions`). */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    if (!/^\d+:\d+$/.test(fields[2])) continue;
    mounts.push({
      deviceNumber: fields[2],
      root: unescapeOctal(fields[3]),
      mountPoint: unescapeOctal(fields[4]),
      fsType: fields[separator + 1],
      source: unescapeOctal(fields[separator + 2]),
    });
  }
  return mounts;
}

/** Lines of /proc/mounts (`source mountpoint type options dump pass`), for kernels without mountinfo. */
export function parseProcMounts(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 4 || !fields[1].startsWith('/')) continue;
    mounts.push({
      deviceNumber: '',
      root: '/',
      mountPoint: unescapeOctal(fields[1]),
      fsType: fields[2],
      source: unescapeOctal(fields[0]),
    });
  }
  return mounts;
}

// The kernel writes space, tab, newline and backslash in paths as \040, \011, \012 and \134.
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
