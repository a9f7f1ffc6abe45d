import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';

import type { HostState, HostWrite } from './host-changes';
import type { WrittenHost } from './host-events';
import type { SqlSession } from './sql-session.repository';

export interface HostRef {
  tenantId: TenantId;
  hostId: string;
}

interface StateRow {
  key: number;
  tenant_id: string;
  host_id: string;
  status: 'online' | 'offline';
  status_changed_at: Date;
  last_seen: Date;
  last_report_time: Date | null;
  interval_seconds: number;
  interval_samples: number;
  inventory_hash: string | null;
  series_count: number;
  now: Date;
}

interface WrittenRow {
  key: number;
  tenant_id: string;
  host_id: string;
  inserted: boolean;
  first_seen: Date;
  status_changed_at: Date;
  series_count: number;
}

const identity = (tenantId: string, hostId: string) => `${tenantId}\u0000${hostId}`;

/** Registry rows of `ingest.hosts` as the writer sees them: lock, insert, update, count series. */
@Injectable()
export class HostRegistryRepository {
  /**
   * Locks the rows of the hosts that exist, in (tenant, host) order so concurrent writers never deadlock,
   * and returns their current state with the database clock.
   */
  async lock(session: SqlSession, hosts: HostRef[]): Promise<{ states: Map<string, HostState>; now: Date }> {
    const { rows } = await session.client.query<StateRow>(
      `SELECT h."key", h."tenant_id", h."host_id", h."status", h."status_changed_at", h."last_seen",
              h."last_report_time", h."interval_seconds", h."interval_samples", h."inventory_hash",
              h."series_count", now() AS "now"
       FROM unnest($1::text[], $2::text[]) AS v("tenant_id", "host_id")
       JOIN "ingest"."hosts" h ON h."tenant_id" = v."tenant_id" AND h."host_id" = v."host_id"
       ORDER BY h."tenant_id" COLLATE "C", h."host_id" COLLATE "C"
       FOR UPDATE OF h`,
      [hosts.map((host) => host.tenantId), hosts.map((host) => host.hostId)],
    );
    const states = new Map<string, HostState>();
    for (const row of rows) {
      states.set(identity(row.tenant_id, row.host_id), {
        key: row.key,
        status: row.status,
        statusChangedAt: row.status_changed_at,
        lastSeen: row.last_seen,
        lastReportTime: row.last_report_time,
        intervalSeconds: row.interval_seconds,
        intervalSamples: row.interval_samples,
        inventoryHash: row.inventory_hash,
        seriesCount: row.series_count,
      });
    }
    return { states, now: rows[0]?.now ?? new Date() };
  }

  /** Registers new hosts; a host another writer registered meanwhile is left out of the answer. */
  async insert(session: SqlSession, writes: HostWrite[]): Promise<Map<string, WrittenHost>> {
    const { rows } = await session.client.query<WrittenRow>(
      `INSERT INTO "ingest"."hosts" ("tenant_id", "host_id", "name", "reported_tags", "source", "inventory",
         "inventory_hash", "inventory_updated_at", "first_seen", "last_seen", "last_report_time",
         "interval_seconds", "interval_samples")
       SELECT v."tenant_id", v."host_id", v."name", v."tags", v."source", COALESCE(v."inventory", '{}'),
              v."inventory_hash", CASE WHEN v."inventory_hash" IS NULL THEN NULL ELSE now() END,
              v."last_seen", v."last_seen", v."last_report_time", v."interval_seconds", v."interval_samples"
       FROM jsonb_to_recordset($1::jsonb) AS v("tenant_id" text, "host_id" text, "name" text, "tags" text[],
         "source" text, "inventory" jsonb, "inventory_hash" text, "last_seen" timestamptz,
         "last_report_time" timestamptz, "interval_seconds" real, "interval_samples" integer)
       ORDER BY v."tenant_id" COLLATE "C", v."host_id" COLLATE "C"
       ON CONFLICT ("tenant_id", "host_id") DO NOTHING
       RETURNING "key", "tenant_id", "host_id", true AS "inserted", "first_seen", "status_changed_at", "series_count"`,
      [JSON.stringify(writes.map(toRecord))],
    );
    return written(rows);
  }

  /** Applies writes to locked rows; `status_changed_at` moves only when the host comes back online. */
  async update(session: SqlSession, writes: HostWrite[]): Promise<Map<string, WrittenHost>> {
    const { rows } = await session.client.query<WrittenRow>(
      `UPDATE "ingest"."hosts" h SET
         "name" = COALESCE(v."name", h."name"),
         "reported_tags" = COALESCE(v."tags", h."reported_tags"),
         "source" = COALESCE(v."source", h."source"),
         "inventory" = COALESCE(v."inventory", h."inventory"),
         "inventory_hash" = COALESCE(v."inventory_hash", h."inventory_hash"),
         "inventory_updated_at" = CASE WHEN v."inventory_hash" IS NULL THEN h."inventory_updated_at" ELSE now() END,
         "last_seen" = v."last_seen",
         "last_report_time" = v."last_report_time",
         "interval_seconds" = v."interval_seconds",
         "interval_samples" = v."interval_samples",
         "status" = CASE WHEN v."comes_online" THEN 'online' ELSE h."status" END,
         "status_changed_at" = CASE WHEN v."comes_online" THEN now() ELSE h."status_changed_at" END,
         "updated_at" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v("tenant_id" text, "host_id" text, "name" text, "tags" text[],
         "source" text, "inventory" jsonb, "inventory_hash" text, "last_seen" timestamptz,
         "last_report_time" timestamptz, "interval_seconds" real, "interval_samples" integer,
         "comes_online" boolean)
       WHERE h."tenant_id" = v."tenant_id" AND h."host_id" = v."host_id"
       RETURNING h."key", h."tenant_id", h."host_id", false AS "inserted", h."first_seen", h."status_changed_at",
                 h."series_count"`,
      [JSON.stringify(writes.map(toRecord))],
    );
    return written(rows);
  }

  /** Adds newly created series to each host's count and the refused ones to its dropped count. */
  async countSeries(
    session: SqlSession,
    counts: { hostKey: number; added: number; dropped: number }[],
  ): Promise<void> {
    if (counts.length === 0) return;
    await session.client.query(
      `UPDATE "ingest"."hosts" h
       SET "series_count" = h."series_count" + v."added", "series_dropped" = h."series_dropped" + v."dropped"
       FROM unnest($1::int[], $2::int[], $3::int[]) AS v("key", "added", "dropped")
       WHERE h."key" = v."key"`,
      [
        counts.map((count) => count.hostKey),
        counts.map((count) => count.added),
        counts.map((count) => count.dropped),
      ],
    );
  }
}

export function hostIdentity(host: { tenantId: string; hostId: string }): string {
  return identity(host.tenantId, host.hostId);
}

function toRecord(write: HostWrite): Record<string, unknown> {
  return {
    tenant_id: write.tenantId,
    host_id: write.hostId,
    name: write.identity?.name ?? null,
    tags: write.identity?.tags ?? null,
    source: write.identity?.source ?? null,
    inventory: write.inventory ? JSON.parse(write.inventory.json) : null,
    inventory_hash: write.inventory?.hash ?? null,
    last_seen: write.lastSeen.toISOString(),
    last_report_time: write.lastReportTime?.toISOString() ?? null,
    interval_seconds: write.intervalSeconds,
    interval_samples: write.intervalSamples,
    comes_online: write.comesOnline,
  };
}

function written(rows: WrittenRow[]): Map<string, WrittenHost> {
  const result = new Map<string, WrittenHost>();
  for (const row of rows) {
    result.set(identity(row.tenant_id, row.host_id), {
      key: row.key,
      inserted: row.inserted,
      firstSeen: row.first_seen,
      statusChangedAt: row.status_changed_at,
      seriesCount: row.series_count,
    });
  }
  return result;
}
