import { Injectable } from '@nestjs/common';
import type { TenantId } from '@optralis/db';
import { DataSource } from 'typeorm';

import type { AnomalySettings, FlappingPolicy, SmtpSettings } from '../shared/ports';

export type StoredSmtp = Omit<SmtpSettings, 'password'>;

export interface SettingsRecord {
  tenantId: string;
  smtp: StoredSmtp | null;
  sealedPassword: string | null;
  /** As stored: `{}` (or a partial object) until someone sets it; defaults fill the rest. */
  anomaly: unknown;
  flapping: unknown;
  updatedAt: Date;
}

/** What to change; a field left out keeps its stored value. */
export interface SettingsChange {
  smtp?: { settings: StoredSmtp; password: 'keep' | { sealed: string | null } } | null;
  anomaly?: AnomalySettings;
  flapping?: FlappingPolicy;
}

interface SettingsRow {
  tenant_id: string;
  smtp: StoredSmtp | null;
  sealed_smtp_password: string | null;
  anomaly: unknown;
  flapping: unknown;
  updated_at: Date;
}

const COLUMNS = `"tenant_id", "smtp", "sealed_smtp_password", "anomaly", "flapping", "updated_at"`;

function toRecord(row: SettingsRow): SettingsRecord {
  return {
    tenantId: row.tenant_id,
    smtp: row.smtp,
    sealedPassword: row.sealed_smtp_password,
    anomaly: row.anomaly,
    flapping: row.flapping,
    updatedAt: row.updated_at,
  };
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** `alerting.tenant_settings`: one row per tenant that changed something. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(tenantId: TenantId): Promise<SettingsRecord | undefined> {
    const [row]: SettingsRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "alerting"."tenant_settings" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    return row && toRecord(row);
  }

  /** One statement, so two concurrent updates of different fields both land. */
  async save(tenantId: TenantId, change: SettingsChange): Promise<SettingsRecord> {
    const smtp = change.smtp;
    const keepPassword = smtp?.password === 'keep';
    const sealed = smtp && smtp.password !== 'keep' ? smtp.password.sealed : null;
    const [row]: SettingsRow[] = await this.dataSource.query(
      `INSERT INTO "alerting"."tenant_settings" AS s
         ("tenant_id", "smtp", "sealed_smtp_password", "anomaly", "flapping", "updated_at")
       VALUES ($1, $3::jsonb, $4, COALESCE($5::jsonb, '{}'), COALESCE($6::jsonb, '{}'), now())
       ON CONFLICT ("tenant_id") DO UPDATE SET
         "smtp" = CASE WHEN $2 THEN EXCLUDED."smtp" ELSE s."smtp" END,
         "sealed_smtp_password" =
           CASE WHEN $2 AND NOT $7 THEN EXCLUDED."sealed_smtp_password" ELSE s."sealed_smtp_password" END,
         "anomaly" = COALESCE($5::jsonb, s."anomaly"),
         "flapping" = COALESCE($6::jsonb, s."flapping"),
         "updated_at" = now()
       RETURNING ${COLUMNS}`,
      [
        tenantId,
        smtp !== undefined,
        smtp ? JSON.stringify(smtp.settings) : null,
        sealed,
        json(change.anomaly),
        json(change.flapping),
        keepPassword,
      ],
    );
    return toRecord(row!);
  }
}
