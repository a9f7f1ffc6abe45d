import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export interface SessionRecord {
  id: string;
  userId: string;
  tenantId: TenantId;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface RefreshRecord {
  sessionId: string;
  rotatedAt: Date | null;
  session: SessionRecord;
}

type Raw = Record<string, unknown>;
const toSession = (row: Raw): SessionRecord => ({
  id: row.id as string,
  userId: row.user_id as string,
  tenantId: row.tenant_id as TenantId,
  expiresAt: row.expires_at as Date,
  revokedAt: row.revoked_at as Date | null,
});

/** A session is one refresh-token family: every rotation adds a token, reuse of an old one ends them all. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    tenantId: TenantId,
    session: { id: string; userId: string; expiresAt: Date; refreshHash: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO "auth"."sessions" ("id", "user_id", "tenant_id", "expires_at") VALUES ($1, $2, $3, $4)`,
        [session.id, session.userId, tenantId, session.expiresAt],
      );
      await manager.query(
        `INSERT INTO "auth"."refresh_tokens" ("token_hash", "session_id") VALUES ($1, $2)`,
        [session.refreshHash, session.id],
      );
    });
  }

  async findSession(sessionId: string): Promise<SessionRecord | undefined> {
    const rows: Raw[] = await this.dataSource.query(`SELECT * FROM "auth"."sessions" WHERE "id" = $1`, [
      sessionId,
    ]);
    return rows[0] && toSession(rows[0]);
  }

  async findRefresh(tokenHash: string): Promise<RefreshRecord | undefined> {
    const rows: Raw[] = await this.dataSource.query(
      `SELECT s.*, r."rotated_at" FROM "auth"."refresh_tokens" r
       JOIN "auth"."sessions" s ON s."id" = r."session_id" WHERE r."token_hash" = $1`,
      [tokenHash],
    );
    const row = rows[0];
    return (
      row && {
        sessionId: row.id as string,
        rotatedAt: row.rotated_at as Date | null,
        session: toSession(row),
      }
    );
  }

  /** Swaps the token for a new one; false when it was rotated already (someone else used it first). */
  async rotate(sessionId: string, oldHash: string, newHash: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, affected]: [unknown, number] = await manager.query(
        `UPDATE "auth"."refresh_tokens" SET "rotated_at" = now()
         WHERE "token_hash" = $1 AND "session_id" = $2 AND "rotated_at" IS NULL`,
        [oldHash, sessionId],
      );
      if (affected !== 1) return false;
      await manager.query(
        `INSERT INTO "auth"."refresh_tokens" ("token_hash", "session_id") VALUES ($1, $2)`,
        [newHash, sessionId],
      );
      return true;
    });
  }

  /** True when this call revoked it (false when it was revoked already). */
  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE "auth"."sessions" SET "revoked_at" = now(), "revoked_reason" = $2
       WHERE "id" = $1 AND "revoked_at" IS NULL`,
      [sessionId, reason],
    );
    return affected === 1;
  }
}
