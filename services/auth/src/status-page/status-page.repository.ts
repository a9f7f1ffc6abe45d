import { Injectable } from '@nestjs/common';
import type { StatusPageGroup } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

export interface StatusPageRecord {
  enabled: boolean;
  title: string | null;
  groups: StatusPageGroup[];
  showIncidents: boolean;
  updatedAt: Date | null;
}

export interface PublishedStatusPage {
  tenantId: TenantId;
  tenantName: string;
  title: string | null;
  groups: StatusPageGroup[];
  showIncidents: boolean;
}

interface RawStatusPage {
  enabled: boolean;
  title: string | null;
  groups: StatusPageGroup[];
  show_incidents: boolean;
  updated_at: Date;
}

const toRecord = (row: RawStatusPage): StatusPageRecord => ({
  enabled: row.enabled,
  title: row.title,
  groups: row.groups,
  showIncidents: row.show_incidents,
  updatedAt: row.updated_at,
});

/** `auth.status_pages`: one row per tenant once an admin saved its page. */
@Injectable()
export class StatusPageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(tenantId: TenantId): Promise<StatusPageRecord | undefined> {
    const rows: RawStatusPage[] = await this.dataSource.query(
      `SELECT "enabled", "title", "groups", "show_incidents", "updated_at" FROM "auth"."status_pages"
       WHERE "tenant_id" = $1`,
      [tenantId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async save(
    tenantId: TenantId,
    page: Omit<StatusPageRecord, 'updatedAt'> & { updatedBy: string },
  ): Promise<StatusPageRecord> {
    const rows: RawStatusPage[] = await this.dataSource.query(
      `INSERT INTO "auth"."status_pages" ("tenant_id", "enabled", "title", "groups", "show_incidents", "updated_by")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("tenant_id") DO UPDATE SET "enabled" = EXCLUDED."enabled", "title" = EXCLUDED."title",
         "groups" = EXCLUDED."groups", "show_incidents" = EXCLUDED."show_incidents",
         "updated_by" = EXCLUDED."updated_by", "updated_at" = now()
       RETURNING "enabled", "title", "groups", "show_incidents", "updated_at"`,
      [tenantId, page.enabled, page.title, JSON.stringify(page.groups), page.showIncidents, page.updatedBy],
    );
    return toRecord(rows[0]);
  }

  /** The enabled page of the tenant with this slug; undefined for an unknown slug and a disabled page alike. */
  async findPublished(slug: string): Promise<PublishedStatusPage | undefined> {
    const rows: (RawStatusPage & { tenant_id: string; tenant_name: string })[] = await this.dataSource.query(
      `SELECT t."id" AS "tenant_id", t."name" AS "tenant_name", p."title", p."groups", p."show_incidents"
       FROM "auth"."tenants" t JOIN "auth"."status_pages" p ON p."tenant_id" = t."id"
       WHERE t."slug" = $1 AND p."enabled"`,
      [slug],
    );
    const row = rows[0];
    return (
      row && {
        tenantId: row.tenant_id as TenantId,
        tenantName: row.tenant_name,
        title: row.title,
        groups: row.groups,
        showIncidents: row.show_incidents,
      }
    );
  }
}
