import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PendingLogin {
  data: string;
  createdAt: Date;
  expired: boolean;
}

/** Logins between `begin` and the IdP's answer: OIDC state, SAML request id. Each is used at most once. */
@Injectable()
export class PendingLoginsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(providerId: string, login: { key: string; data: string; ttlMs: number }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "auth"."sso_pending_logins" ("key", "provider_id", "data", "expires_at")
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))`,
      [login.key, providerId, login.data, login.ttlMs],
    );
    // Abandoned logins would pile up otherwise; an hour of grace keeps a late answer reported as expired.
    await this.dataSource.query(
      `DELETE FROM "auth"."sso_pending_logins" WHERE "expires_at" < now() - interval '1 hour'`,
    );
  }

  /** Looks without using it up (SAML asks before it validates). */
  async peek(providerId: string, key: string): Promise<PendingLogin | undefined> {
    const rows: { data: string; created_at: Date; expired: boolean }[] = await this.dataSource.query(
      `SELECT "data", "created_at", "expires_at" <= now() AS "expired" FROM "auth"."sso_pending_logins"
       WHERE "key" = $1 AND "provider_id" = $2`,
      [key, providerId],
    );
    return rows[0] && { data: rows[0].data, createdAt: rows[0].created_at, expired: rows[0].expired };
  }

  /** Removes and returns it in one statement, so two concurrent answers cannot both use it. */
  async consume(providerId: string, key: string): Promise<PendingLogin | undefined> {
    const [rows]: [{ data: string; created_at: Date; expired: boolean }[], number] =
      await this.dataSource.query(
        `DELETE FROM "auth"."sso_pending_logins" WHERE "key" = $1 AND "provider_id" = $2
         RETURNING "data", "created_at", "expires_at" <= now() AS "expired"`,
        [key, providerId],
      );
    return rows[0] && { data: rows[0].data, createdAt: rows[0].created_at, expired: rows[0].expired };
  }
}
