import { join } from 'node:path';

import type { CollectorContext } from '../collectors/collector';
import { readText, readTrimmed } from '../collectors/host-files';
import { labelValue } from '../collectors/label-value';
import { parseMeminfo } from '../collectors/meminfo.parser';
import { readDisks } from './block-devices.reader';
import { parseCpuInfo } from './cpuinfo.parser';
import { hardwareId } from './hardware-id';
import { readNetworkInterfaces } from './network-interfaces.reader';
import { parseOsRelease } from './os-release.parser';
import { detectVirtualization } from './virtualization.detector';

/**
 * What the host is, for the report's `inventory` (sent at start and when it changes). Every key is a
 * fixed snake_case name; a fact the host does not give is left out rather than guessed. It starts
 * `systemd-detect-virt` once: call it at start and then every few minutes, not every cycle.
 */
export async function collectInventory(
  context: CollectorContext,
  agentVersion: string,
): Promise<Record<string, unknown>> {
  const { proc, sys, etc } = context.paths;
  const [id, virtualization] = await Promise.all([
    hardwareId(context).catch(() => undefined),
    detectVirtualization(context),
  ]);
  const osRelease = readText(join(etc, 'os-release'));
  const cpuinfo = readText(join(proc, 'cpuinfo'));
  const meminfo = readText(join(proc, 'meminfo'));
  const os = osRelease === undefined ? {} : parseOsRelease(osRelease);
  const cpu = cpuinfo === undefined ? undefined : parseCpuInfo(cpuinfo);
  const memoryBytes = meminfo === undefined ? undefined : parseMeminfo(meminfo).get('MemTotal');
  const inventory: Record<string, unknown> = { agent_version: labelValue(agentVersion) };
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '')
      inventory[key] = typeof value === 'string' ? labelValue(value) : value;
  };
  put('hostname', readTrimmed(join(proc, 'sys', 'kernel', 'hostname')));
  put('os', os.PRETTY_NAME ?? os.NAME);
  put('os_id', os.ID);
  put('os_version', os.VERSION_ID);
  put('kernel', readTrimmed(join(proc, 'sys', 'kernel', 'osrelease')));
  put('cpu', cpu?.model);
  put('cpu_cores', cpu?.cores);
  put('cpu_threads', cpu?.threads);
  put('cpu_sockets', cpu?.sockets);
  put('memory_bytes', memoryBytes);
  put('hardware_id', id);
  inventory.disks = readDisks(sys);
  inventory.nics = readNetworkInterfaces(sys);
  inventory.virtualization = virtualization;
  return inventory;
}
