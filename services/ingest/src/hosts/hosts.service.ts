import { Inject, Injectable } from '@nestjs/common';
import { HostEvent, type HostFilters, type TokenActor, type TokenRole } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { hostEventId } from '../storage/series-keys';
import { HostAuditTrail } from './host-audit';
import { decodeHostCursor, encodeHostCursor } from './host-cursor';
import { HOST_REPOSITORY, type HostRepository } from './host.repository';
import type { HostDetailRecord, HostListQuery, HostRecord, OutboxEntry } from './host.types';
import { HostError, HostErrorCode, hostNotFound } from './hosts.errors';

export interface PageRequest {
  filters: HostFilters;
  limit: number;
  cursor?: string;
  /** What the page may weigh once encoded: a fuller page ends early and hands out a cursor. */
  maxReplyBytes: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ExportPage {
  columns: readonly string[];
  rows: string[][];
  nextCursor: string | null;
}

export interface HostUpdate {
  hostId: string;
  description?: string;
  tags?: string[];
}

export const EXPORT_COLUMNS = [
  'id',
  'name',
  'status',
  'tags',
  'description',
  'source',
  'first_seen',
  'last_seen',
  'interval_seconds',
  'series_count',
  'os',
  'kernel',
] as const;

const EDITORS: readonly TokenRole[] = ['owner', 'admin', 'editor'];
const HOST_NAME_LIMIT = 255;

/** The leading items that fit in `maxBytes`, at least one. */
function fitting<T>(items: T[], maxBytes: number): T[] {
  let total = 0;
  const kept: T[] = [];
  for (const item of items) {
    total += Buffer.byteLength(JSON.stringify(item));
    if (total > maxBytes && kept.length > 0) break;
    kept.push(item);
  }
  return kept;
}

/** Tags set through the API and the ones the host reports, each once, API tags first. */
export function mergedTags(host: Pick<HostRecord, 'tags' | 'reportedTags'>): string[] {
  return [...new Set([...host.tags, ...host.reportedTags])];
}

/** Trimmed, without empty ones, each once in first-seen order. */
export function normalisedTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
}

function updatedEvent(tenantId: TenantId, host: HostRecord): OutboxEntry {
  const time = host.updatedAt;
  const msgId = hostEventId({
    tenantId,
    hostId: host.hostId,
    kind: 'updated',
    suffix: String(time.getTime()),
  });
  const payload = HostEvent.parse({
    id: msgId,
    tenantId,
    hostId: host.hostId,
    hostName: host.name.slice(0, HOST_NAME_LIMIT),
    kind: 'updated',
    time: time.toISOString(),
    data: {
      description: host.description,
      tags: mergedTags(host),
      editableTags: host.tags,
      reportedTags: host.reportedTags,
    },
  });
  return { msgId, payload };
}

/** The host registry: listing, details, edits by people and the CSV rows of the fleet. */
@Injectable()
export class HostsService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly repository: HostRepository,
    private readonly audit: HostAuditTrail,
  ) {}

  async list(tenantId: TenantId, request: PageRequest): Promise<Page<HostRecord>> {
    const hosts = await this.repository.list(tenantId, this.pageQuery(request));
    const items = fitting(hosts.slice(0, request.limit), request.maxReplyBytes);
    return { items, nextCursor: this.nextCursor(hosts, items) };
  }

  async get(tenantId: TenantId, hostId: string): Promise<HostDetailRecord> {
    const host = await this.repository.get(tenantId, hostId);
    if (!host) throw hostNotFound(hostId);
    return host;
  }

  async update(actor: TokenActor, update: HostUpdate): Promise<HostDetailRecord> {
    if (!EDITORS.includes(actor.role)) {
      throw new HostError(HostErrorCode.Forbidden, 'changing a host needs the editor role');
    }
    const tenantId = asTenantId(actor.tenantId);
    const tags = update.tags && normalisedTags(update.tags);
    if (update.description === undefined && tags === undefined) return this.get(tenantId, update.hostId);
    const host = await this.repository.update(tenantId, update.hostId, {
      description: update.description,
      tags,
      event: (updated) => updatedEvent(tenantId, updated),
    });
    if (!host) throw hostNotFound(update.hostId);
    const data: Record<string, unknown> = {};
    if (update.description !== undefined) data.description = update.description;
    if (tags !== undefined) data.tags = tags;
    await this.audit.record({ actor, hostId: update.hostId, action: 'host.updated', data });
    return host;
  }

  async exportRows(tenantId: TenantId, request: PageRequest): Promise<ExportPage> {
    const hosts = await this.repository.exportRows(tenantId, this.pageQuery(request));
    const rows = hosts
      .slice(0, request.limit)
      .map((host) => [
        host.hostId,
        host.name,
        host.status,
        mergedTags(host).join(';'),
        host.description,
        host.source,
        host.firstSeen.toISOString(),
        host.lastSeen.toISOString(),
        String(host.intervalSeconds),
        String(host.seriesCount),
        host.os,
        host.kernel,
      ]);
    const kept = fitting(rows, request.maxReplyBytes);
    return { columns: EXPORT_COLUMNS, rows: kept, nextCursor: this.nextCursor(hosts, kept) };
  }

  /** One host more than the page holds tells whether another page follows. */
  private pageQuery(request: PageRequest): HostListQuery {
    return { filters: request.filters, after: decodeHostCursor(request.cursor), limit: request.limit + 1 };
  }

  /** A cursor after the last host kept, when the query found more than were kept. */
  private nextCursor(hosts: HostRecord[], kept: unknown[]): string | null {
    const last = hosts[kept.length - 1];
    return hosts.length > kept.length && last
      ? encodeHostCursor({ name: last.name, hostId: last.hostId })
      : null;
  }
}
