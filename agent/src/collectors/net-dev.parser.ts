export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

export const INTERFACE_COUNTERS = [
  'rxBytes',
  'rxPackets',
  'rxErrors',
  'rxDropped',
  'txBytes',
  'txPackets',
  'txErrors',
  'txDropped',
] as const;

/** /proc/net/dev by interface name; the two header lines and malformed lines are left out. */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const result = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    // Interface names cannot hold ':', so the first one ends the name.
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (!name || fields.length < 16 || !fields.every((value) => Number.isFinite(value) && value >= 0))
      continue;
    result.set(name, {
      rxBytes: fields[0],
      rxPackets: fields[1],
      rxErrors: fields[2],
      rxDropped: fields[3],
      txBytes: fields[8],
      txPackets: fields[9],
      txErrors: fields[10],
      txDropped: fields[11],
    });
  }
  return result;
}
