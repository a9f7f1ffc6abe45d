import { Injectable } from '@nestjs/common';
import type { AlertingSettings, ParsedRequestOf, TokenActor } from '@optralis/contracts';

import { canRead, requireRole } from '../shared/actor-access';
import { AlertingAuditTrail } from '../shared/audit-trail';
import { ConfigChanges } from '../shared/config-changes';
import { SecretBox } from '../shared/secret-box';
import { anomalyOf, flappingOf, smtpPasswordContext } from './settings-values';
import { type SettingsChange, type SettingsRecord, SettingsRepository } from './settings.repository';

export type SettingsUpdate = Omit<ParsedRequestOf<'rpc.alerting.settings.update'>, 'actor'>;

function toSettings(tenantId: string, record: SettingsRecord | undefined): AlertingSettings {
  return {
    tenantId,
    smtp: record?.smtp ? { ...record.smtp, passwordSet: record.sealedPassword !== null } : null,
    anomaly: anomalyOf(record?.anomaly),
    flapping: flappingOf(record?.flapping),
    updatedAt: record?.updatedAt.toISOString() ?? null,
  };
}

/** A tenant's alerting settings as people see and change them; the SMTP password is write-only. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly box: SecretBox,
    private readonly audit: AlertingAuditTrail,
    private readonly changes: ConfigChanges,
  ) {}

  async get(actor: TokenActor): Promise<AlertingSettings> {
    const tenantId = canRead(actor);
    return toSettings(tenantId, await this.repository.find(tenantId));
  }

  /** `smtp: null` removes the server; a password left out keeps the stored one, `''` removes it. */
  async update(actor: TokenActor, update: SettingsUpdate): Promise<AlertingSettings> {
    const tenantId = requireRole(actor, 'admin');
    const change: SettingsChange = { anomaly: update.anomaly, flapping: update.flapping };
    if (update.smtp === null) change.smtp = null;
    if (update.smtp) {
      const { password, ...settings } = update.smtp;
      change.smtp = {
        settings,
        password:
          password === undefined
            ? 'keep'
            : { sealed: password === '' ? null : this.box.seal(password, smtpPasswordContext(tenantId)) },
      };
    }
    const record = await this.repository.save(tenantId, change);
    this.changes.notify({ kind: 'settings', tenantId });
    await this.audit.record({
      actor,
      action: 'alerting_settings.updated',
      target: { type: 'alerting_settings', id: tenantId },
      data: {
        changed: (['smtp', 'anomaly', 'flapping'] as const).filter((field) => update[field] !== undefined),
        smtpPasswordChanged: update.smtp?.password !== undefined || update.smtp === null,
      },
    });
    return toSettings(tenantId, record);
  }
}
