import { join } from 'node:path';

import { listDirectory, readInteger, readTrimmed } from '../collectors/host-files';
import { labelValue } from '../collectors/label-value';

export interface Disk {
  name: string;
  size_bytes: number;
  rotational?: boolean;
  removable?: boolean;
  model?: string;
  vendor?: string;
}

// Loop and memory-backed devices are views of other storage, not disks.
const IGNORED = /^(loop|ram|zram)\d+$/;

/** Whole block devices from /sys/block (partitions are not listed there). Sizes are in 512-byte sectors. */
export function readDisks(sys: string): Disk[] {
  const names = listDirectory(join(sys, 'block')).filter((name) => !IGNORED.test(name));
  return names.sort().flatMap((name) => {
    const folder = join(sys, 'block', name);
    const sectors = readInteger(join(folder, 'size'));
    if (sectors === undefined || sectors <= 0) return [];
    const disk: Disk = { name: labelValue(name.replaceAll('!', '/')), size_bytes: sectors * 512 };
    const rotational = readInteger(join(folder, 'queue', 'rotational'));
    const removable = readInteger(join(folder, 'removable'));
    const model = readTrimmed(join(folder, 'device', 'model'));
    const vendor = readTrimmed(join(folder, 'device', 'vendor'));
    if (rotational !== undefined) disk.rotational = rotational === 1;
    if (removable !== undefined) disk.removable = removable === 1;
    if (model) disk.model = labelValue(model);
    if (vendor) disk.vendor = labelValue(vendor);
    return [disk];
  });
}
