import { createHash } from 'node:crypto';

import type { HostEventKind } from '@optralis/contracts';

/** Longest canonical label key kept readable; longer ones become a hash (a btree entry stays small). */
const MAX_READABLE_LABELS_KEY = 256;
/** `HostEvent.id` allows 200 characters. */
const MAX_EVENT_ID = 200;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function sha256(text: string, encoding: 'hex' | 'base64url'): string {
  return createHash('sha256').update(text, 'utf8').digest(encoding);
}

/** The string unchanged when Postgres can store it; NUL and lone surrogates (refused by text and jsonb) become U+FFFD. */
export function storable(text: string): string {
  const nul = text.includes('\u0000');
  if (!nul && !SURROGATE.test(text)) return text;
  return (nul ? text.replaceAll('\u0000', '\uFFFD') : text).replace(LONE_SURROGATE, '\uFFFD');
}

/** Label pairs sorted by name, with every key and value storable. */
export function canonicalLabels(labels: Record<string, string> | undefined): [string, string][] {
  if (!labels) return [];
  const pairs = Object.entries(labels).map(([key, value]): [string, string] => [
    storable(key),
    storable(value),
  ]);
  return pairs.length > 1 ? pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : pairs;
}

/**
 * The identity of a label set inside one (host, metric name): the sorted pairs as JSON (`[]` without
 * labels), or `#<sha256 of that JSON>` when it is long.
 */
export function labelsKey(pairs: [string, string][]): string {
  if (pairs.length === 0) return '[]';
  const json = JSON.stringify(pairs);
  return json.length <= MAX_READABLE_LABELS_KEY ? json : `#${sha256(json, 'base64url')}`;
}

/** The `series_sets.hash` of a sorted list of series ids. */
export function seriesSetHash(joinedIds: string): string {
  return sha256(joinedIds, 'base64url');
}

/** JSON with object keys sorted at every level, so equal inventories hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

/** Strings of an inventory made storable (jsonb refuses NUL and lone surrogates), at any depth. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storable(value) as T;
  if (Array.isArray(value)) return value.map((item) => storableJson(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[storable(key)] = storableJson(item);
  return result as T;
}

export function inventoryHash(canonical: string): string {
  return sha256(canonical, 'hex').slice(0, 32);
}

/**
 * `host:<tenant>:<host>:<kind>[:<suffix>]`, the outbox and `Nats-Msg-Id` of a host event; ids too long for
 * the contract become `host:<sha256>` (the same rule as the offline sweep's SQL).
 */
export function hostEventId(input: {
  tenantId: string;
  hostId: string;
  kind: HostEventKind;
  suffix?: string;
}): string {
  const id = `host:${input.tenantId}:${input.hostId}:${input.kind}${input.suffix === undefined ? '' : `:${input.suffix}`}`;
  return id.length <= MAX_EVENT_ID ? id : `host:${sha256(id, 'hex')}`;
}
