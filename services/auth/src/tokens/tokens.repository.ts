import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { TokenRole } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';
import { DataSource, type EntityManager } from 'typeorm';

import type { TokenKind } from './token-format';
import type { NewToken, TokenRecord } from './token.types';
import { TokenError, TokenErrorCode } from './tokens.errors';

const TABLE: Record<TokenKind, string> = {
  api: '"auth"."api_tokens"',
  ingest: '"auth"."ingest_tokens"',
};
const BOOTSTRAP_LOCK_KEY = createHash('sha256')
  .update('optralis.auth.bootstrap-ingest-token')
  .digest()
  .readBigInt64BE(0)
  .toString();
const UNIQUE_VIOLATION = '23505';
const UNDEFINED_TABLE = '42P01';

interface TokenRow {
  id: string;
  tenant_id: string;
  name: string;
  role?: TokenRole;
  prefix: string;
  hash: Buffer;
  created_by: string;
  created_at: Date;
  expires_at?: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function toRecord(kind: TokenKind, row: TokenRow): TokenRecord {
  return {
    id: row.id,
    kind,
    tenantId: asTenantId(row.tenant_id),
    name: row.name,
    role: row.role ?? null,
    prefix: row.prefix,
    hash: row.hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? null,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** All SQL of API and ingest tokens. */
@Injectable()
export class TokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tenantId: TenantId, token: NewToken): Promise<TokenRecord> {
    return this.insertWith(this.dataSource.manager, tenantId, token);
  }

  async list(tenantId: TenantId, kind: TokenKind, includeRevoked: boolean): Promise<TokenRecord[]> {
    const rows: TokenRow[] = await this.dataSource.query(
      `SELECT * FROM ${TABLE[kind]} WHERE "tenant_id" = $1 AND ($2::boolean OR "revoked_at" IS NULL)
       ORDER BY "created_at" DESC, "id" LIMIT 1000`,
      [tenantId, includeRevoked],
    );
    return rows.map((row) => toRecord(kind, row));
  }

  /** Revokes once; a second revoke returns the first time. Another tenant's id finds nothing. */
  async revoke(tenantId: TenantId, kind: TokenKind, id: string): Promise<TokenRecord | undefined> {
    const [rows]: [TokenRow[]] = await this.dataSource.query(
      `UPDATE ${TABLE[kind]} SET "revoked_at" = COALESCE("revoked_at", now())
       WHERE "tenant_id" = $1 AND "id" = $2 RETURNING *`,
      [tenantId, id],
    );
    return rows[0] && toRecord(kind, rows[0]);
  }

  /** The lookup that discovers the tenant: the prefix is unique across tenants. */
  async findByPrefix(kind: TokenKind, prefix: string): Promise<TokenRecord | undefined> {
    const rows: TokenRow[] = await this.dataSource.query(`SELECT * FROM ${TABLE[kind]} WHERE "prefix" = $1`, [
      prefix,
    ]);
    return rows[0] && toRecord(kind, rows[0]);
  }

  /** At most once a minute per token, whichever instance saw the use. */
  async touch(tenantId: TenantId, kind: TokenKind, id: string, usedAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${TABLE[kind]} SET "last_used_at" = $3
       WHERE "tenant_id" = $1 AND "id" = $2 AND ("last_used_at" IS NULL OR "last_used_at" < $3::timestamptz - interval '1 minute')`,
      [tenantId, id, usedAt],
    );
  }

  /** Tenant `default`, or undefined while the other half of the bootstrap has not created it. */
  async findDefaultTenant(): Promise<TenantId | undefined> {
    try {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT "id"::text AS "id" FROM "auth"."tenants" WHERE "slug" = 'default'`,
      );
      return rows[0] && asTenantId(rows[0].id);
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
  }

  /** Under an advisory lock: creates the `bootstrap` ingest token unless one (even revoked) exists. */
  async insertBootstrapIngestToken(tenantId: TenantId, token: NewToken): Promise<'created' | 'exists'> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [BOOTSTRAP_LOCK_KEY]);
      const existing: unknown[] = await manager.query(
        `SELECT 1 FROM ${TABLE.ingest} WHERE "tenant_id" = $1 AND "name" = $2 LIMIT 1`,
        [tenantId, token.name],
      );
      if (existing.length > 0) return 'exists';
      await this.insertWith(manager, tenantId, token);
      return 'created';
    });
  }

  private async insertWith(
    manager: EntityManager,
    tenantId: TenantId,
    token: NewToken,
  ): Promise<TokenRecord> {
    const api = token.kind === 'api';
    try {
      const rows: TokenRow[] = await manager.query(
        `INSERT INTO ${TABLE[token.kind]} ("id", "tenant_id", "name", "prefix", "hash", "created_by"${api ? ', "role", "expires_at"' : ''})
         VALUES ($1, $2, $3, $4, $5, $6${api ? ', $7, $8' : ''}) RETURNING *`,
        [
          token.id,
          tenantId,
          token.name,
          token.prefix,
          token.hash,
          token.createdBy,
          ...(api ? [token.role, token.expiresAt] : []),
        ],
      );
      return toRecord(token.kind, rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new TokenError(TokenErrorCode.Conflict, `an active token named "${token.name}" already exists`);
      }
      throw error;
    }
  }
}
