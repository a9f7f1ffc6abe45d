import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';

import { isSubjectToken } from '@optralis/contracts/agent';

import type { CollectorContext } from '../collectors/collector';
import { exists, listDirectory, readTrimmed } from '../collectors/host-files';

/** Optralis's application id for sd_id128_get_machine_app_specific(3) (made once with `systemd-id128 new`). */
const OPTRALIS_APP_ID = Buffer.from('bfececd70f08435b9dfc6b53f0113ba9', 'hex');
const UUID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
// Fixed values that boards without a real UUID report: many machines share each one.
const SHARED_BOARD_UUIDS = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
]);

export class HardwareIdError extends Error {
  constructor() {
    super('no machine-id, DMI product UUID, MAC address or hostname identifies this host');
    this.name = 'HardwareIdError';
  }
}

/**
 * A host id that survives reboots and reinstalls of the agent, valid as a contract `SubjectId`:
 * 1. /etc/machine-id, hashed as machine-id(5) asks (the raw id must not leave the machine); the
 *    same value as `systemd-id128 machine-id --app-specific=bfececd70f08435b9dfc6b53f0113ba9 --uuid`;
 * 2. the DMI product UUID (/sys/class/dmi/id/product_uuid, readable by root);
 * 3. `mac-` and a hash of the lowest MAC address of a physical network interface;
 * 4. `host-` and a hash of the hostname.
 */
export async function hardwareId(context: CollectorContext): Promise<string> {
  const { etc, sys, proc } = context.paths;
  const machineId = readTrimmed(join(etc, 'machine-id'))?.toLowerCase();
  if (machineId && /^[0-9a-f]{32}$/.test(machineId) && !/^0+$/.test(machineId))
    return appSpecificId(machineId);
  const productUuid = readTrimmed(join(sys, 'class', 'dmi', 'id', 'product_uuid'))?.toLowerCase();
  if (productUuid && UUID.test(productUuid) && !SHARED_BOARD_UUIDS.has(productUuid)) return productUuid;
  const mac = lowestPhysicalMac(join(sys, 'class', 'net'));
  if (mac) return `mac-${digest(mac)}`;
  const hostname = readTrimmed(join(proc, 'sys', 'kernel', 'hostname'));
  const id = hostname ? `host-${digest(hostname)}` : undefined;
  if (!id || !isSubjectToken(id)) throw new HardwareIdError();
  return id;
}

/** sd_id128_get_machine_app_specific(3): HMAC-SHA256 keyed by the machine id, shaped as a v4 UUID. */
export function appSpecificId(machineId: string): string {
  const bytes = createHmac('sha256', Buffer.from(machineId, 'hex'))
    .update(OPTRALIS_APP_ID)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function lowestPhysicalMac(netFolder: string): string | undefined {
  const macs = listDirectory(netFolder).flatMap((name) => {
    // Only interfaces backed by a device: bridges, veths and tunnels get new addresses when recreated.
    if (!exists(join(netFolder, name, 'device'))) return [];
    const address = readTrimmed(join(netFolder, name, 'address'));
    return address && MAC.test(address) && address !== '00:00:00:00:00:00' ? [address] : [];
  });
  return macs.sort()[0];
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
