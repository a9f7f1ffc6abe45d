/** /proc/meminfo fields in bytes (the file says kB and means KiB); lines that do not parse are left out. */
export function parseMeminfo(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(\s+kB)?\s*$/.exec(line);
    if (!match) continue;
    const value = Number(match[2]) * (match[3] ? 1024 : 1);
    if (Number.isSafeInteger(value)) result.set(match[1], value);
  }
  return result;
}
