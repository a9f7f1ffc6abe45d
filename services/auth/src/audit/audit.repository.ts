import { Injectable } from '@nestjs/common';
import { asTenantId, type TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import { GENESIS_HASH } from './audit-chain';
import { AuditError, AuditErrorCode } from './audit.errors';
import type { AuditFilter, ChainHead, JournalEntry, NewEntry } from './audit.types';

interface EntryRow {
  id: string;
  seq: string;
  tenant_id: string;
  time: Date;
  service: string;
  actor: JournalEntry['actor'];
  action: string;
  target: JournalEntry['target'];
  outcome: string;
  request_id: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function toEntry(row: EntryRow): JournalEntry {
  return {
    id: row.id,
    seq: row.seq,
    tenantId: asTenantId(row.tenant_id),
    time: row.time,
    service: row.service,
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    requestId: row.request_id,
    ip: row.ip,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Computes a row's hash once its place in the chain (seq, previous hash) is fixed. */
export type Seal = (seq: string, prevHash: string) => string;

/** All SQL of the audit journal. Appends to one tenant's chain are serialised on its head row. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(tenantId: TenantId, entry: NewEntry, seal: Seal): Promise<'appended' | 'duplicate'> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO "auth"."audit_chain_heads" ("tenant_id", "last_seq", "last_hash", "count")
           VALUES ($1, NULL, $2, 0) ON CONFLICT ("tenant_id") DO NOTHING`,
          [tenantId, GENESIS_HASH],
        );
        const [head]: { last_hash: string }[] = await manager.query(
          `SELECT "last_hash" FROM "auth"."audit_chain_heads" WHERE "tenant_id" = $1 FOR UPDATE`,
          [tenantId],
        );
        const seen: unknown[] = await manager.query(`SELECT 1 FROM "auth"."audit_log" WHERE "id" = $1`, [
          entry.id,
        ]);
        if (seen.length > 0) return 'duplicate';
        const [{ seq }]: { seq: string }[] = await manager.query(
          `SELECT nextval(pg_get_serial_sequence('"auth"."audit_log"', 'seq'))::text AS "seq"`,
        );
        const hash = seal(seq, head.last_hash);
        const inserted: unknown[] = await manager.query(
          `INSERT INTO "auth"."audit_log" ("id", "seq", "tenant_id", "time", "service", "actor", "action", "target",
             "outcome", "request_id", "ip", "data", "prev_hash", "hash")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT ("id") DO NOTHING RETURNING "seq"`,
          [
            entry.id,
            seq,
            tenantId,
            entry.time,
            entry.service,
            JSON.stringify(entry.actor),
            entry.action,
            entry.target ? JSON.stringify(entry.target) : null,
            entry.outcome,
            entry.requestId,
            entry.ip,
            JSON.stringify(entry.data),
            head.last_hash,
            hash,
          ],
        );
        if (inserted.length === 0) return 'duplicate';
        await manager.query(
          `UPDATE "auth"."audit_chain_heads" SET "last_seq" = $2, "last_hash" = $3, "count" = "count" + 1
           WHERE "tenant_id" = $1`,
          [tenantId, seq, hash],
        );
        return 'appended';
      });
    } catch (error) {
      // Class 22 (data exception), e.g. a NUL character jsonb refuses: retrying cannot help.
      const code = (error as { code?: string }).code;
      if (code?.startsWith('22')) throw new AuditError(AuditErrorCode.InvalidEvent, (error as Error).message);
      throw error;
    }
  }

  async list(
    tenantId: TenantId,
    filter: AuditFilter,
    page: { limit: number; beforeSeq?: string },
  ): Promise<JournalEntry[]> {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT "id", "seq"::text AS "seq", "tenant_id", "time", "service", "actor", "action", "target", "outcome",
              "request_id", "ip", "data", "prev_hash", "hash"
       FROM "auth"."audit_log"
       WHERE "tenant_id" = $1
         AND ($2::text IS NULL OR "actor"->>'id' = $2)
         AND ($3::text IS NULL OR "actor"->>'type' = $3)
         AND ($4::text IS NULL OR "action" = $4)
         AND ($5::timestamptz IS NULL OR "time" >= $5)
         AND ($6::timestamptz IS NULL OR "time" < $6)
         AND ($7::bigint IS NULL OR "seq" < $7)
       ORDER BY "audit_log"."seq" DESC LIMIT $8`,
      [
        tenantId,
        filter.actor?.id ?? null,
        filter.actor?.type ?? null,
        filter.action ?? null,
        filter.from ?? null,
        filter.to ?? null,
        page.beforeSeq ?? null,
        page.limit,
      ],
    );
    return rows.map(toEntry);
  }

  /** A page of the chain in order, up to the head read beforehand. */
  async chainPage(
    tenantId: TenantId,
    afterSeq: string | null,
    upToSeq: string,
    limit: number,
  ): Promise<JournalEntry[]> {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT "id", "seq"::text AS "seq", "tenant_id", "time", "service", "actor", "action", "target", "outcome",
              "request_id", "ip", "data", "prev_hash", "hash"
       FROM "auth"."audit_log"
       WHERE "tenant_id" = $1 AND ($2::bigint IS NULL OR "seq" > $2) AND "seq" <= $3
       ORDER BY "audit_log"."seq" LIMIT $4`,
      [tenantId, afterSeq, upToSeq, limit],
    );
    return rows.map(toEntry);
  }

  async head(tenantId: TenantId): Promise<ChainHead | undefined> {
    const rows: { last_seq: string | null; last_hash: string; count: string }[] = await this.dataSource.query(
      `SELECT "last_seq"::text AS "last_seq", "last_hash", "count"::text AS "count"
       FROM "auth"."audit_chain_heads" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    const row = rows[0];
    return row && { lastSeq: row.last_seq, lastHash: row.last_hash, count: Number(row.count) };
  }

  /** The tenant's first row, if any: rows without a chain head mean the head was removed. */
  async firstSeq(tenantId: TenantId): Promise<string | undefined> {
    const rows: { seq: string }[] = await this.dataSource.query(
      `SELECT "seq"::text AS "seq" FROM "auth"."audit_log" WHERE "tenant_id" = $1 ORDER BY "audit_log"."seq" LIMIT 1`,
      [tenantId],
    );
    return rows[0]?.seq;
  }
}
