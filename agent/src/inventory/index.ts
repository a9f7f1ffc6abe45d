export { collectInventory } from './inventory';
export { hardwareId, HardwareIdError } from './hardware-id';
export type { Virtualization } from './virtualization.detector';
export type { Disk } from './block-devices.reader';
export type { NetworkInterface } from './network-interfaces.reader';
