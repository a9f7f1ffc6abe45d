export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  inode: string;
}

const TCP_LISTEN = '0A';
// UDP has no listening state: an unconnected socket shows TCP_CLOSE.
const UDP_UNCONNECTED = '07';

/**
 * Listening sockets in /proc/net/{tcp,tcp6,udp,udp6}. The kernel prints each 32-bit word of an address
 * in the host's byte order, so `littleEndian` says how to read them back.
 */
export function parseListeningSockets(
  text: string,
  protocol: 'tcp' | 'udp',
  littleEndian: boolean,
): ListeningSocket[] {
  const wanted = protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED;
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== wanted || !/^\d+$/.test(fields[9])) continue;
    const local = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(fields[1]);
    if (!local) continue;
    const port = parseInt(local[2], 16);
    if (port === 0) continue;
    sockets.push({ protocol, address: formatAddress(local[1], littleEndian), port, inode: fields[9] });
  }
  return sockets;
}

function formatAddress(hex: string, littleEndian: boolean): string {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = hex
      .slice(word, word + 8)
      .match(/../g)!
      .map((pair) => parseInt(pair, 16));
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  if (bytes.length === 4) return bytes.join('.');
  const isV4Mapped =
    bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isV4Mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, index) =>
    ((bytes[index * 2] << 8) | bytes[index * 2 + 1]).toString(16),
  );
  return compressIpv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups (the first of equals) becomes `::`. */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; ) {
    if (groups[start] !== '0') {
      start += 1;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === '0') end += 1;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}
