import { createHash } from 'node:crypto';

import type { AuditEvent } from '@optralis/contracts';

/** prev_hash of a tenant's first row. */
export const GENESIS_HASH = '0'.repeat(64);
const FORMAT_VERSION = 1;

/** What the hash covers: every column but the hash itself. */
export interface ChainedFields {
  id: string;
  seq: string;
  tenantId: string;
  time: Date;
  service: string;
  actor: AuditEvent['actor'];
  action: string;
  target: AuditEvent['target'] | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  prevHash: string;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function chainHash(fields: ChainedFields): string {
  const material = canonicalJson({ v: FORMAT_VERSION, ...fields, time: fields.time.toISOString() });
  return createHash('sha256').update(material, 'utf8').digest('hex');
}
