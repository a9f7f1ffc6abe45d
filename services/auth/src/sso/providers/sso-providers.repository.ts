import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export type SsoType = 'oidc' | 'saml';

export interface SsoProviderRecord {
  id: string;
  tenantId: TenantId;
  name: string;
  type: SsoType;
  enabled: boolean;
  /** The config without its secret. */
  config: Record<string, unknown>;
  sealedSecret: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RawProvider {
  id: string;
  tenant_id: string;
  name: string;
  type: SsoType;
  enabled: boolean;
  config: Record<string, unknown>;
  sealed_secret: string | null;
  created_at: Date;
  updated_at: Date;
}

const toProvider = (row: RawProvider): SsoProviderRecord => ({
  id: row.id,
  tenantId: row.tenant_id as TenantId,
  name: row.name,
  type: row.type,
  enabled: row.enabled,
  config: row.config,
  sealedSecret: row.sealed_secret,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class SsoProvidersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when the tenant has a provider of that name already. */
  async create(
    tenantId: TenantId,
    provider: Omit<SsoProviderRecord, 'tenantId' | 'createdAt' | 'updatedAt'>,
  ): Promise<SsoProviderRecord | undefined> {
    const rows: RawProvider[] = await this.dataSource.query(
      `INSERT INTO "auth"."sso_providers" ("id", "tenant_id", "name", "type", "enabled", "config", "sealed_secret")
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT ("tenant_id", "name") DO NOTHING RETURNING *`,
      [
        provider.id,
        tenantId,
        provider.name,
        provider.type,
        provider.enabled,
        JSON.stringify(provider.config),
        provider.sealedSecret,
      ],
    );
    return rows[0] && toProvider(rows[0]);
  }

  async list(tenantId: TenantId): Promise<SsoProviderRecord[]> {
    const rows: RawProvider[] = await this.dataSource.query(
      `SELECT * FROM "auth"."sso_providers" WHERE "tenant_id" = $1 ORDER BY "name"`,
      [tenantId],
    );
    return rows.map(toProvider);
  }

  async find(tenantId: TenantId, id: string): Promise<SsoProviderRecord | undefined> {
    const rows: RawProvider[] = await this.dataSource.query(
      `SELECT * FROM "auth"."sso_providers" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return rows[0] && toProvider(rows[0]);
  }

  /**
   * A login starts from a provider id alone (nobody is signed in yet): the provider names its tenant.
   */
  async findForLogin(id: string): Promise<SsoProviderRecord | undefined> {
    const rows: RawProvider[] = await this.dataSource.query(
      `SELECT * FROM "auth"."sso_providers" WHERE "id" = $1 AND "enabled"`,
      [id],
    );
    return rows[0] && toProvider(rows[0]);
  }

  /** Undefined when the provider is gone; `conflict` when the new name is taken. */
  async update(
    tenantId: TenantId,
    id: string,
    change: Pick<SsoProviderRecord, 'name' | 'enabled' | 'config' | 'sealedSecret'>,
  ): Promise<SsoProviderRecord | 'conflict' | undefined> {
    try {
      const [rows]: [RawProvider[], number] = await this.dataSource.query(
        `UPDATE "auth"."sso_providers" SET "name" = $3, "enabled" = $4, "config" = $5, "sealed_secret" = $6,
         "updated_at" = clock_timestamp() WHERE "tenant_id" = $1 AND "id" = $2 RETURNING *`,
        [tenantId, id, change.name, change.enabled, JSON.stringify(change.config), change.sealedSecret],
      );
      return rows[0] && toProvider(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return 'conflict';
      throw error;
    }
  }

  async delete(tenantId: TenantId, id: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM "auth"."sso_providers" WHERE "tenant_id" = $1 AND "id" = $2`,
      [tenantId, id],
    );
    return count > 0;
  }
}
