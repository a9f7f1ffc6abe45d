import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export interface MfaSecretRecord {
  userId: string;
  sealedSecret: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
  lockedUntil: Date | null;
}

/**
 * TOTP secrets, recovery codes and MFA login tokens. They belong to a user, not to a tenant (one
 * second factor across all of a user's tenants); the challenge row keeps the tenant the token is for.
 */
@Injectable()
export class MfaRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSecret(userId: string): Promise<MfaSecretRecord | undefined> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM "auth"."user_mfa" WHERE "user_id" = $1`,
      [userId],
    );
    const row = rows[0];
    return (
      row && {
        userId: row.user_id as string,
        sealedSecret: row.sealed_secret as string,
        confirmedAt: row.confirmed_at as Date | null,
        lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
        lockedUntil: row.locked_until as Date | null,
      }
    );
  }

  /** Stores a new pending secret; false when MFA is already confirmed for the user. */
  async savePending(userId: string, sealedSecret: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO "auth"."user_mfa" ("user_id", "sealed_secret") VALUES ($1, $2)
       ON CONFLICT ("user_id") DO UPDATE SET "sealed_secret" = $2, "last_used_step" = NULL, "created_at" = now()
       WHERE "user_mfa"."confirmed_at" IS NULL RETURNING "user_id"`,
      [userId, sealedSecret],
    );
    return rows.length > 0;
  }

  /** Records the accepted time step; false when this step or a later one was used already (replay). */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE "auth"."user_mfa" SET "last_used_step" = $2
       WHERE "user_id" = $1 AND ("last_used_step" IS NULL OR "last_used_step" < $2)`,
      [userId, step],
    );
    return affected === 1;
  }

  /** Confirms the pending secret, sets `users.mfa_enabled` and replaces the recovery codes; false on a lost race. */
  async enable(userId: string, recoveryHashes: string[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, affected]: [unknown, number] = await manager.query(
        `UPDATE "auth"."user_mfa" SET "confirmed_at" = now() WHERE "user_id" = $1 AND "confirmed_at" IS NULL`,
        [userId],
      );
      if (affected !== 1) return false;
      await manager.query(`UPDATE "auth"."users" SET "mfa_enabled" = true WHERE "id" = $1`, [userId]);
      await manager.query(`DELETE FROM "auth"."mfa_recovery_codes" WHERE "user_id" = $1`, [userId]);
      await manager.query(
        `INSERT INTO "auth"."mfa_recovery_codes" ("user_id", "code_hash") SELECT $1, unnest($2::text[])`,
        [userId, recoveryHashes],
      );
      return true;
    });
  }

  async disable(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM "auth"."user_mfa" WHERE "user_id" = $1`, [userId]);
      await manager.query(`DELETE FROM "auth"."mfa_recovery_codes" WHERE "user_id" = $1`, [userId]);
      await manager.query(`UPDATE "auth"."users" SET "mfa_enabled" = false WHERE "id" = $1`, [userId]);
    });
  }

  /**
   * Counts a wrong code; from `after` failures in a row, locks the factor for 1 minute doubling up to
   * `maxMinutes`. Kept apart from the password counter, which a right password resets.
   */
  async recordFailure(userId: string, lock: { after: number; maxMinutes: number }): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."user_mfa" SET "failed_count" = "failed_count" + 1,
       "locked_until" = CASE WHEN "failed_count" + 1 >= $2
         THEN now() + make_interval(mins => least($3, power(2, least("failed_count" + 1 - $2, 20)))::int)
         ELSE "locked_until" END
       WHERE "user_id" = $1`,
      [userId, lock.after, lock.maxMinutes],
    );
  }

  async resetFailures(userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."user_mfa" SET "failed_count" = 0, "locked_until" = NULL
       WHERE "user_id" = $1 AND ("failed_count" <> 0 OR "locked_until" IS NOT NULL)`,
      [userId],
    );
  }

  /** Marks the recovery code used; false when it is unknown or was used before. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE "auth"."mfa_recovery_codes" SET "used_at" = now()
       WHERE "user_id" = $1 AND "code_hash" = $2 AND "used_at" IS NULL`,
      [userId, codeHash],
    );
    return affected === 1;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    const [row]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM "auth"."mfa_recovery_codes" WHERE "user_id" = $1 AND "used_at" IS NULL`,
      [userId],
    );
    return row.count;
  }

  /** Counts one more attempt with an MFA token (and forgets long-expired ones). */
  async countAttempt(
    tenantId: TenantId,
    challenge: { jti: string; userId: string; expiresAt: Date },
  ): Promise<{ attempts: number; consumed: boolean }> {
    const [row]: { attempts: number; consumed_at: Date | null }[] = await this.dataSource.query(
      `WITH purge AS (
         DELETE FROM "auth"."mfa_challenges" WHERE "expires_at" < now() - interval '1 hour'
       )
       INSERT INTO "auth"."mfa_challenges" ("jti", "user_id", "tenant_id", "attempts", "expires_at")
       VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT ("jti") DO UPDATE SET "attempts" = "mfa_challenges"."attempts" + 1
       RETURNING "attempts", "consumed_at"`,
      [challenge.jti, challenge.userId, tenantId, challenge.expiresAt],
    );
    return { attempts: row.attempts, consumed: row.consumed_at !== null };
  }

  /** Marks the token used; false when another request used it first. */
  async consumeChallenge(jti: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE "auth"."mfa_challenges" SET "consumed_at" = now() WHERE "jti" = $1 AND "consumed_at" IS NULL`,
      [jti],
    );
    return affected === 1;
  }

  /** Whether the token was used already (enrolment may look without counting an attempt). */
  async isConsumed(jti: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "auth"."mfa_challenges" WHERE "jti" = $1 AND "consumed_at" IS NOT NULL`,
      [jti],
    );
    return rows.length > 0;
  }
}
