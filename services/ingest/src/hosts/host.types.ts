import type { HostEvent, HostFilters, HostStatus } from '@optralis/contracts';

/** One host as the registry holds it, without its inventory. */
export interface HostRecord {
  /** The storage key series and samples refer to. */
  key: number;
  hostId: string;
  name: string;
  description: string;
  /** Set through the API. */
  tags: string[];
  /** Sent by the host itself. */
  reportedTags: string[];
  status: HostStatus;
  source: string;
  firstSeen: Date;
  lastSeen: Date;
  statusChangedAt: Date;
  intervalSeconds: number;
  seriesCount: number;
  seriesDropped: number;
  updatedAt: Date;
}

export interface HostDetailRecord extends HostRecord {
  inventory: Record<string, unknown>;
  inventoryUpdatedAt: Date | null;
  /** Distinct names of the host's series, sorted. */
  metricNames: string[];
}

/** What the CSV export needs beyond the summary: two inventory fields. */
export interface HostExportRecord extends HostRecord {
  os: string;
  kernel: string;
}

/** The position after which a page starts: hosts are ordered by name, then id. */
export interface HostKeyset {
  name: string;
  hostId: string;
}

export interface HostListQuery {
  filters: HostFilters;
  after?: HostKeyset;
  limit: number;
}

export interface OutboxEntry {
  msgId: string;
  payload: HostEvent;
}

export interface HostChange {
  description?: string;
  tags?: string[];
  /** Builds the event the change publishes, from the updated host, inside the same transaction. */
  event(updated: HostRecord): OutboxEntry;
}
