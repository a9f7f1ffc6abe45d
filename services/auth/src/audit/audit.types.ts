import type { AuditEvent } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import type { ChainedFields } from './audit-chain';

export interface JournalEntry extends ChainedFields {
  tenantId: TenantId;
  hash: string;
}

export type NewEntry = Omit<ChainedFields, 'seq' | 'prevHash' | 'tenantId'>;

export interface AuditFilter {
  actor?: { type?: AuditEvent['actor']['type']; id: string };
  action?: string;
  from?: Date;
  to?: Date;
}

export interface ChainHead {
  lastSeq: string | null;
  lastHash: string;
  count: number;
}
