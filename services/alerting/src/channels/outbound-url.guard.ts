import { lookup as lookupCallback, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** A destination this service must not reach: a refused scheme or a non-public address. */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // unspecified, "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3], // multicast, reserved, broadcast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** The 8 groups of an IPv6 address (with `::` expanded and a trailing dotted IPv4 converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16));
}

/** The IPv4 address carried by NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses, which route to it. */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const quad = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) {
    return quad(groups[6]!, groups[7]!);
  }
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  return undefined;
}

/** Whether an IP address is loopback, private, link-local, unspecified, CGNAT or otherwise not public. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family !== 6) return true;
  if (forbidden.check(address, 'ipv6')) return true;
  const carried = embeddedIpv4(address);
  return carried !== undefined && forbidden.check(carried, 'ipv4');
}

/** The host of a URL as `net` wants it: IPv6 literals without their brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Parses an http(s) URL or throws UnsafeUrlError; `file:`, `gopher:`, `data:` and the like are refused. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeUrlError('the URL cannot be parsed');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeUrlError(`the scheme ${url.protocol} is not allowed; use http or https`);
  }
  return url;
}

function refuseAddresses(host: string, addresses: readonly string[]): void {
  const refused = addresses.find(isForbiddenAddress);
  if (refused !== undefined) {
    throw new UnsafeUrlError(`${host} resolves to ${refused}, a loopback, private or link-local address`);
  }
}

/**
 * Checks a URL people configure. A name that does not resolve now passes: the check at send time, on the
 * address actually connected to, is the one that counts (DNS may change in between anyway).
 */
export async function checkOutboundUrl(text: string, allowPrivate: boolean): Promise<void> {
  const url = parseHttpUrl(text);
  if (allowPrivate) return;
  await checkOutboundHost(urlHost(url));
}

/** Refuses a host (name or literal) whose addresses are not public; unresolvable names pass. */
export async function checkOutboundHost(host: string): Promise<void> {
  if (isIP(host)) return refuseAddresses(host, [host]);
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return;
  }
  refuseAddresses(
    host,
    addresses.map((entry) => entry.address),
  );
}

/**
 * Resolves a host to the one address to connect to, refusing non-public ones unless allowed: connecting to
 * this address (not the name again) leaves no window for DNS to answer differently.
 */
export async function resolveOutboundHost(host: string, allowPrivate: boolean): Promise<string> {
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  if (!allowPrivate) refuseAddresses(host, addresses);
  const first = addresses[0];
  if (first === undefined) throw new Error(`${host} has no address`);
  return first;
}

/**
 * A `lookup` for `http.request` that refuses non-public answers, so the address checked is the address
 * connected to. (IP literals never reach a lookup: check them with `isForbiddenAddress` first.)
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const all: LookupAllOptions = { ...options, all: true };
    lookupCallback(hostname, all, (error, addresses) => {
      if (error) return callback(error, '', 0);
      try {
        if (!allowPrivate)
          refuseAddresses(
            hostname,
            addresses.map((entry) => entry.address),
          );
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, '', 0);
      }
      if (options.all)
        return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
