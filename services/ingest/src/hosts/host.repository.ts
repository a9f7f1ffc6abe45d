import type { TenantId } from '@optralis/db';

import type { HostChange, HostDetailRecord, HostExportRecord, HostListQuery, HostRecord } from './host.types';

/** Injection token of the host registry's storage (Postgres today; another store implements the same). */
export const HOST_REPOSITORY = Symbol('HOST_REPOSITORY');

/** The host registry. A host of another tenant is never found: every call is scoped by the tenant. */
export interface HostRepository {
  /** Up to `limit` hosts after `after`, ordered by name then id. */
  list(tenantId: TenantId, query: HostListQuery): Promise<HostRecord[]>;
  get(tenantId: TenantId, hostId: string): Promise<HostDetailRecord | undefined>;
  /** Applies the change and stores its event in one transaction; undefined when there is no such host. */
  update(tenantId: TenantId, hostId: string, change: HostChange): Promise<HostDetailRecord | undefined>;
  /** Like `list`, with the inventory fields the CSV export shows. */
  exportRows(tenantId: TenantId, query: HostListQuery): Promise<HostExportRecord[]>;
  /** The storage key of the host's series and samples. */
  resolveKey(tenantId: TenantId, hostId: string): Promise<number | undefined>;
}
