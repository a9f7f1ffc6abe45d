import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { Role } from '../shared/actor';

export interface TenantSettings {
  mfaRequiredForAdmins: boolean;
  passwordExpiryDays: number | null;
}

export interface TenantRecord {
  id: TenantId;
  slug: string;
  name: string;
  settings: TenantSettings;
  createdAt: Date;
}

export interface InvitationRecord {
  tenantId: TenantId;
  role: Role;
  expiresAt: Date;
  acceptedAt: Date | null;
}

interface RawTenant {
  id: string;
  slug: string;
  name: string;
  settings: Partial<TenantSettings>;
  created_at: Date;
}

const DEFAULT_SETTINGS: TenantSettings = { mfaRequiredForAdmins: false, passwordExpiryDays: null };

const toTenant = (row: RawTenant): TenantRecord => ({
  id: row.id as TenantId,
  slug: row.slug,
  name: row.name,
  settings: { ...DEFAULT_SETTINGS, ...row.settings },
  createdAt: row.created_at,
});

@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<TenantRecord[]> {
    const rows: RawTenant[] = await this.dataSource.query(`SELECT * FROM "auth"."tenants" ORDER BY "slug"`);
    return rows.map(toTenant);
  }

  async findById(tenantId: TenantId): Promise<TenantRecord | undefined> {
    const rows: RawTenant[] = await this.dataSource.query(`SELECT * FROM "auth"."tenants" WHERE "id" = $1`, [
      tenantId,
    ]);
    return rows[0] && toTenant(rows[0]);
  }

  async findBySlug(slug: string): Promise<TenantRecord | undefined> {
    const rows: RawTenant[] = await this.dataSource.query(
      `SELECT * FROM "auth"."tenants" WHERE "slug" = $1`,
      [slug],
    );
    return rows[0] && toTenant(rows[0]);
  }

  /** Undefined when the slug is taken. */
  async create(tenant: {
    id: TenantId;
    slug: string;
    name: string;
    settings?: Partial<TenantSettings>;
  }): Promise<TenantRecord | undefined> {
    const rows: RawTenant[] = await this.dataSource.query(
      `INSERT INTO "auth"."tenants" ("id", "slug", "name", "settings") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("slug") DO NOTHING RETURNING *`,
      [tenant.id, tenant.slug, tenant.name, JSON.stringify({ ...DEFAULT_SETTINGS, ...tenant.settings })],
    );
    return rows[0] && toTenant(rows[0]);
  }

  async updateSettings(tenantId: TenantId, settings: Partial<TenantSettings>): Promise<void> {
    await this.dataSource.query(
      `UPDATE "auth"."tenants" SET "settings" = "settings" || $2::jsonb WHERE "id" = $1`,
      [tenantId, JSON.stringify(settings)],
    );
  }

  async createInvitation(
    tenantId: TenantId,
    invitation: { tokenHash: string; role: Role; expiresAt: Date },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "auth"."invitations" ("token_hash", "tenant_id", "role", "expires_at") VALUES ($1, $2, $3, $4)`,
      [invitation.tokenHash, tenantId, invitation.role, invitation.expiresAt],
    );
  }

  async findInvitation(tokenHash: string): Promise<InvitationRecord | undefined> {
    const rows: { tenant_id: string; role: Role; expires_at: Date; accepted_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT "tenant_id", "role", "expires_at", "accepted_at" FROM "auth"."invitations"
         WHERE "token_hash" = $1 AND "accepted_at" IS NULL AND "expires_at" > now()`,
        [tokenHash],
      );
    const row = rows[0];
    return (
      row && {
        tenantId: row.tenant_id as TenantId,
        role: row.role,
        expiresAt: row.expires_at,
        acceptedAt: row.accepted_at,
      }
    );
  }

  /** Marks the invitation used; undefined when it does not exist, expired or was used already. */
  async consumeInvitation(tokenHash: string, userId: string): Promise<InvitationRecord | undefined> {
    const [rows]: [{ tenant_id: string; role: Role; expires_at: Date; accepted_at: Date }[], number] =
      await this.dataSource.query(
        `UPDATE "auth"."invitations" SET "accepted_at" = now(), "accepted_by" = $2
         WHERE "token_hash" = $1 AND "accepted_at" IS NULL AND "expires_at" > now()
         RETURNING "tenant_id", "role", "expires_at", "accepted_at"`,
        [tokenHash, userId],
      );
    const row = rows[0];
    return (
      row && {
        tenantId: row.tenant_id as TenantId,
        role: row.role,
        expiresAt: row.expires_at,
        acceptedAt: row.accepted_at,
      }
    );
  }
}
