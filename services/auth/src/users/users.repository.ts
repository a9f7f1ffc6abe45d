import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Role } from '../shared/actor';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string | null;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  passwordSetAt: Date | null;
  failedLoginCount: number;
  lockedUntil: Date | null;
  mfaEnabled: boolean;
  createdAt: Date;
}

export interface MemberRecord extends UserRecord {
  role: Role;
}

export interface MembershipRecord {
  tenantId: TenantId;
  slug: string;
  name: string;
  role: Role;
}

type RawUser = Record<string, unknown>;

const toUser = (row: RawUser): UserRecord => ({
  id: row.id as string,
  email: row.email as string,
  passwordHash: row.password_hash as string | null,
  status: row.status as UserRecord['status'],
  mustChangePassword: row.must_change_password as boolean,
  passwordSetAt: row.password_set_at as Date | null,
  failedLoginCount: row.failed_login_count as number,
  lockedUntil: row.locked_until as Date | null,
  mfaEnabled: row.mfa_enabled as boolean,
  createdAt: row.created_at as Date,
});
const toMember = (row: RawUser): MemberRecord => ({ ...toUser(row), role: row.role as Role });
const MEMBER_SELECT = `SELECT u.*, m."role" FROM "auth"."users" u
  JOIN "auth"."memberships" m ON m."user_id" = u."id"`;

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const rows: RawUser[] = await this.dataSource.query(
      `SELECT * FROM "auth"."users" WHERE lower("email") = lower($1)`,
      [email],
    );
    return rows[0] && toUser(rows[0]);
  }

  async memberships(userId: string): Promise<MembershipRecord[]> {
    const rows: { tenant_id: string; slug: string; name: string; role: Role }[] = await this.dataSource.query(
      `SELECT m."tenant_id", t."slug", t."name", m."role" FROM "auth"."memberships" m
       JOIN "auth"."tenants" t ON t."id" = m."tenant_id" WHERE m."user_id" = $1 ORDER BY t."slug"`,
      [userId],
    );
    return rows.map((row) => ({ ...row, tenantId: row.tenant_id as TenantId }));
  }

  async member(tenantId: TenantId, userId: string): Promise<MemberRecord | undefined> {
    const rows: RawUser[] = await this.dataSource.query(
      `${MEMBER_SELECT} WHERE m."tenant_id" = $1 AND u."id" = $2`,
      [tenantId, userId],
    );
    return rows[0] && toMember(rows[0]);
  }

  /** Keyset page ordered by email; `after` is the last email of the previous page. */
  async listMembers(tenantId: TenantId, page: { limit: number; after?: string }): Promise<MemberRecord[]> {
    const rows: RawUser[] = await this.dataSource.query(
      `${MEMBER_SELECT} WHERE m."tenant_id" = $1 AND ($2::text IS NULL OR lower(u."email") > lower($2))
       ORDER BY lower(u."email") LIMIT $3`,
      [tenantId, page.after ?? null, page.limit],
    );
    return rows.map(toMember);
  }

  async countOwners(tenantId: TenantId): Promise<number> {
    const [row]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM "auth"."memberships" WHERE "tenant_id" = $1 AND "role" = 'owner'`,
      [tenantId],
    );
    return row.count;
  }

  /** Undefined when the email is taken (case-insensitively). */
  async create(user: {
    id: string;
    email: string;
    passwordHash: string | null;
    mustChangePassword: boolean;
  }): Promise<UserRecord | undefined> {
    const rows: RawUser[] = await this.dataSource.query(
      `INSERT INTO "auth"."users" ("id", "email", "password_hash", "must_change_password", "password_set_at")
       VALUES ($1, $2, $3, $4, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT ((lower("email"))) DO NOTHING RETURNING *`,
      [user.id, user.email, user.passwordHash, user.mustChangePassword],
    );
    return rows[0] && toUser(rows[0]);
  }

  /** False when the user already belongs to the tenant. */
  async addMembership(tenantId: TenantId, userId: string, role: Role): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO "auth"."memberships" ("user_id", "tenant_id", "role") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING "user_id"`,
      [userId, tenantId, role],
    );
    return rows.length > 0;
  }

  async setRole(tenantId: TenantId, userId: string, role: Role): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."memberships" SET "role" = $3 WHERE "tenant_id" = $1 AND "user_id" = $2`,
      [tenantId, userId, role],
    );
  }

  async setStatus(userId: string, status: UserRecord['status']): Promise<void> {
    await this.dataSource.query(`UPDATE "auth"."users" SET "status" = $2 WHERE "id" = $1`, [userId, status]);
  }

  /** Removes the membership, and the user with it when no tenant is left. */
  async removeMember(tenantId: TenantId, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM "auth"."memberships" WHERE "tenant_id" = $1 AND "user_id" = $2`, [
        tenantId,
        userId,
      ]);
      await manager.query(
        `UPDATE "auth"."sessions" SET "revoked_at" = now(), "revoked_reason" = 'membership removed'
         WHERE "tenant_id" = $1 AND "user_id" = $2 AND "revoked_at" IS NULL`,
        [tenantId, userId],
      );
      await manager.query(
        `DELETE FROM "auth"."users" u WHERE u."id" = $1
         AND NOT EXISTS (SELECT 1 FROM "auth"."memberships" m WHERE m."user_id" = u."id")`,
        [userId],
      );
    });
  }

  async setPassword(userId: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."users" SET "password_hash" = $2, "must_change_password" = $3, "password_set_at" = now(),
       "failed_login_count" = 0, "locked_until" = NULL WHERE "id" = $1`,
      [userId, passwordHash, mustChange],
    );
  }

  /**
   * Counts a failure in one statement (no lost update under concurrent attempts); from `lockAfter`
   * failures on, locks for 1 minute doubling with every further failure, at most `maxLockMinutes`.
   */
  async recordFailure(
    userId: string,
    lock: { after: number; maxMinutes: number },
  ): Promise<{ failedLoginCount: number; lockedUntil: Date | null }> {
    const [[row]]: [{ failed_login_count: number; locked_until: Date | null }[], number] =
      await this.dataSource.query(
        `UPDATE "auth"."users" SET "failed_login_count" = "failed_login_count" + 1,
       "locked_until" = CASE WHEN "failed_login_count" + 1 >= $2
         THEN now() + make_interval(mins => least($3, power(2, least("failed_login_count" + 1 - $2, 20)))::int)
         ELSE "locked_until" END
       WHERE "id" = $1 RETURNING "failed_login_count", "locked_until"`,
        [userId, lock.after, lock.maxMinutes],
      );
    return { failedLoginCount: row.failed_login_count, lockedUntil: row.locked_until };
  }

  async resetFailures(userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."users" SET "failed_login_count" = 0, "locked_until" = NULL
       WHERE "id" = $1 AND ("failed_login_count" <> 0 OR "locked_until" IS NOT NULL)`,
      [userId],
    );
  }

  /** Ends every session of the user, in every tenant: after a password change or reset. */
  async revokeSessions(userId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."sessions" SET "revoked_at" = now(), "revoked_reason" = $2
       WHERE "user_id" = $1 AND "revoked_at" IS NULL`,
      [userId, reason],
    );
  }
}
