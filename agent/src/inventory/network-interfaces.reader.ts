import { join } from 'node:path';

import { exists, listDirectory, readInteger, readTrimmed } from '../collectors/host-files';
import { labelValue } from '../collectors/label-value';

export interface NetworkInterface {
  name: string;
  mac?: string;
  mtu?: number;
  /** Mb/s; absent when the link is down or the driver does not say. */
  speed_mbps?: number;
  state?: string;
  /** No device behind it: a bridge, veth, tunnel or the like. */
  virtual: boolean;
}

/** Network interfaces from /sys/class/net, loopback left out. */
export function readNetworkInterfaces(sys: string): NetworkInterface[] {
  const folder = join(sys, 'class', 'net');
  const names = listDirectory(folder).filter((name) => name !== 'lo');
  return names.sort().map((name) => {
    const base = join(folder, name);
    const nic: NetworkInterface = { name: labelValue(name), virtual: !exists(join(base, 'device')) };
    const mac = readTrimmed(join(base, 'address'));
    const mtu = readInteger(join(base, 'mtu'));
    const speed = readInteger(join(base, 'speed'));
    const state = readTrimmed(join(base, 'operstate'));
    if (mac && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(mac)) nic.mac = mac.toLowerCase();
    if (mtu !== undefined && mtu > 0) nic.mtu = mtu;
    // Drivers say -1 (or fail to read) when the link is down.
    if (speed !== undefined && speed > 0) nic.speed_mbps = speed;
    if (state) nic.state = labelValue(state);
    return nic;
  });
}
