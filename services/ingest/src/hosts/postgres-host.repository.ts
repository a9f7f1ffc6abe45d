import { Injectable } from '@nestjs/common';
import type { HostStatus } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { HostRepository } from './host.repository';
import type { HostChange, HostDetailRecord, HostExportRecord, HostListQuery, HostRecord } from './host.types';

interface HostRow {
  key: number;
  host_id: string;
  name: string;
  description: string;
  tags: string[];
  reported_tags: string[];
  status: HostStatus;
  source: string;
  first_seen: Date;
  last_seen: Date;
  status_changed_at: Date;
  interval_seconds: number;
  series_count: number;
  series_dropped: string;
  updated_at: Date;
}

interface DetailRow extends HostRow {
  inventory: Record<string, unknown>;
  inventory_updated_at: Date | null;
}

interface ExportRow extends HostRow {
  os: string | null;
  kernel: string | null;
}

const COLUMNS = `h."key", h."host_id", h."name", h."description", h."tags", h."reported_tags", h."status",
  h."source", h."first_seen", h."last_seen", h."status_changed_at", h."interval_seconds", h."series_count",
  h."series_dropped", h."updated_at"`;
const DETAIL_COLUMNS = `${COLUMNS}, h."inventory", h."inventory_updated_at"`;

/** `%`, `_` and `\` from the user are literal characters, not patterns. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function toRecord(row: HostRow): HostRecord {
  return {
    key: row.key,
    hostId: row.host_id,
    name: row.name,
    description: row.description,
    tags: row.tags,
    reportedTags: row.reported_tags,
    status: row.status,
    source: row.source,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    statusChangedAt: row.status_changed_at,
    intervalSeconds: row.interval_seconds,
    seriesCount: row.series_count,
    seriesDropped: Number(row.series_dropped),
    updatedAt: row.updated_at,
  };
}

function toDetail(row: DetailRow, metricNames: string[]): HostDetailRecord {
  return {
    ...toRecord(row),
    inventory: row.inventory,
    inventoryUpdatedAt: row.inventory_updated_at,
    metricNames,
  };
}

/** The WHERE and LIMIT clauses and parameters of a filtered, keyset-paged host query (`$1` is the tenant). */
function filtered(
  tenantId: TenantId,
  query: HostListQuery,
): { where: string; limit: string; parameters: unknown[] } {
  const parameters: unknown[] = [tenantId];
  const conditions = [`h."tenant_id" = $1`];
  const add = (value: unknown): string => `$${parameters.push(value)}`;
  const { q, status, tag } = query.filters;
  if (q) {
    const pattern = add(likePattern(q));
    conditions.push(
      `(h."name" ILIKE ${pattern} ESCAPE '\\' OR h."host_id" ILIKE ${pattern} ESCAPE '\\'` +
        ` OR h."description" ILIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (status) conditions.push(`h."status" = ${add(status)}`);
  if (tag) {
    const tags = add([tag]);
    conditions.push(`(h."tags" @> ${tags}::text[] OR h."reported_tags" @> ${tags}::text[])`);
  }
  if (query.after) {
    conditions.push(
      `(h."tenant_id", h."name", h."host_id") > ($1, ${add(query.after.name)}, ${add(query.after.hostId)})`,
    );
  }
  const limit = `LIMIT ${add(query.limit)}`;
  return { where: conditions.join(' AND '), limit, parameters };
}

/** The host registry on PostgreSQL (`ingest.hosts`, `ingest.series`, `ingest.event_outbox`). */
@Injectable()
export class PostgresHostRepository implements HostRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: TenantId, query: HostListQuery): Promise<HostRecord[]> {
    const { where, limit, parameters } = filtered(tenantId, query);
    const rows: HostRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "ingest"."hosts" h WHERE ${where} ORDER BY h."name", h."host_id" ${limit}`,
      parameters,
    );
    return rows.map(toRecord);
  }

  async exportRows(tenantId: TenantId, query: HostListQuery): Promise<HostExportRecord[]> {
    const { where, limit, parameters } = filtered(tenantId, query);
    const rows: ExportRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, h."inventory" ->> 'os' AS "os", h."inventory" ->> 'kernel' AS "kernel"
       FROM "ingest"."hosts" h WHERE ${where} ORDER BY h."name", h."host_id" ${limit}`,
      parameters,
    );
    return rows.map((row) => ({ ...toRecord(row), os: row.os ?? '', kernel: row.kernel ?? '' }));
  }

  async get(tenantId: TenantId, hostId: string): Promise<HostDetailRecord | undefined> {
    const [row]: DetailRow[] = await this.dataSource.query(
      `SELECT ${DETAIL_COLUMNS} FROM "ingest"."hosts" h WHERE h."tenant_id" = $1 AND h."host_id" = $2`,
      [tenantId, hostId],
    );
    return row && toDetail(row, await this.metricNames(row.key));
  }

  async update(
    tenantId: TenantId,
    hostId: string,
    change: HostChange,
  ): Promise<HostDetailRecord | undefined> {
    const row = await this.dataSource.transaction(async (manager) => {
      // Truncated to the millisecond and always later than the previous value, so the event id is unique.
      const [rows]: [DetailRow[]] = await manager.query(
        `UPDATE "ingest"."hosts" h SET
           "description" = COALESCE($3, h."description"),
           "tags" = COALESCE($4::text[], h."tags"),
           "updated_at" = date_trunc('milliseconds',
             GREATEST(clock_timestamp(), h."updated_at" + interval '1 millisecond'))
         WHERE h."tenant_id" = $1 AND h."host_id" = $2
         RETURNING ${DETAIL_COLUMNS}`,
        [tenantId, hostId, change.description ?? null, change.tags ?? null],
      );
      const updated = rows[0];
      if (!updated) return undefined;
      const event = change.event(toRecord(updated));
      await manager.query(`INSERT INTO "ingest"."event_outbox" ("msg_id", "payload") VALUES ($1, $2)`, [
        event.msgId,
        JSON.stringify(event.payload),
      ]);
      return updated;
    });
    return row && toDetail(row, await this.metricNames(row.key));
  }

  async resolveKey(tenantId: TenantId, hostId: string): Promise<number | undefined> {
    const [row]: { key: number }[] = await this.dataSource.query(
      `SELECT "key" FROM "ingest"."hosts" WHERE "tenant_id" = $1 AND "host_id" = $2`,
      [tenantId, hostId],
    );
    return row?.key;
  }

  private async metricNames(hostKey: number): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT "name" COLLATE "C" AS "name" FROM "ingest"."series" WHERE "host_key" = $1 ORDER BY 1`,
      [hostKey],
    );
    return rows.map((row) => row.name);
  }
}
