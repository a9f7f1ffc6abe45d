import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EscalationPolicy, EscalationPolicyInput, type TokenActor } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { canRead, canWrite } from '../shared/actor-access';
import { AlertingError, AlertingErrorCode, invalid, invalidFromZod } from '../shared/alerting.errors';
import { AlertingAuditTrail } from '../shared/audit-trail';
import { ConfigChanges } from '../shared/config-changes';
import { decodeCursor, page } from '../shared/list-cursor';
import { EscalationPolicySource } from '../shared/ports';
import { type EscalationPolicyRecord, EscalationPoliciesRepository } from './escalation-policies.repository';

function toPolicy(record: EscalationPolicyRecord): EscalationPolicy {
  return {
    ...record.input,
    id: record.id,
    tenantId: record.tenantId,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function notFound(id: string): AlertingError {
  return new AlertingError(
    AlertingErrorCode.escalationPolicyNotFound,
    `escalation policy ${id} was not found`,
  );
}

/** Who is notified, and when, while a firing alert stays unacknowledged. */
@Injectable()
export class EscalationPoliciesService implements EscalationPolicySource {
  constructor(
    private readonly repository: EscalationPoliciesRepository,
    private readonly audit: AlertingAuditTrail,
    private readonly changes: ConfigChanges,
  ) {}

  async list(
    actor: TokenActor,
    request: { limit: number; cursor?: string },
  ): Promise<{ items: EscalationPolicy[]; nextCursor: string | null }> {
    const rows = await this.repository.list(canRead(actor), {
      after: decodeCursor(request.cursor),
      limit: request.limit + 1,
    });
    const found = page(rows, request.limit, (row) => ({ time: row.createdAt, id: row.id }));
    return { items: found.items.map(toPolicy), nextCursor: found.nextCursor };
  }

  async get(actor: TokenActor, id: string): Promise<EscalationPolicy> {
    const record = await this.repository.find(canRead(actor), id);
    if (!record) throw notFound(id);
    return toPolicy(record);
  }

  async find(tenantId: string, id: string): Promise<EscalationPolicy | null> {
    const record = await this.repository.find(asTenantId(tenantId), id);
    return record ? toPolicy(record) : null;
  }

  async create(actor: TokenActor, input: EscalationPolicyInput): Promise<EscalationPolicy> {
    const tenantId = canWrite(actor);
    await this.checkChannels(tenantId, input);
    const record = await this.repository.insert(tenantId, {
      id: randomUUID(),
      input,
      createdBy: actor.userId,
    });
    await this.recorded(actor, 'escalation_policy.created', record);
    return toPolicy(record);
  }

  async update(actor: TokenActor, id: string, changes: Record<string, unknown>): Promise<EscalationPolicy> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored) throw notFound(id);
    const parsed = EscalationPolicyInput.safeParse({ ...stored.input, ...changes });
    if (!parsed.success) throw invalidFromZod(parsed.error);
    await this.checkChannels(tenantId, parsed.data);
    const record = await this.repository.update(tenantId, id, parsed.data);
    if (!record) throw notFound(id);
    await this.recorded(actor, 'escalation_policy.updated', record, { changed: Object.keys(changes) });
    return toPolicy(record);
  }

  async remove(actor: TokenActor, id: string): Promise<void> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored) throw notFound(id);
    if (!(await this.repository.deleteUnused(tenantId, id))) {
      const rules = await this.repository.rulesUsing(tenantId, id);
      if (rules.length === 0) throw notFound(id);
      const names = rules.map((rule) => `"${rule.name}"`).join(', ');
      throw new AlertingError(
        AlertingErrorCode.policyInUse,
        `escalation policy ${id} is used by rules ${names}; give them another policy first`,
        { ruleIds: rules.map((rule) => rule.id) },
      );
    }
    await this.recorded(actor, 'escalation_policy.deleted', stored);
  }

  private async checkChannels(tenantId: TenantId, input: EscalationPolicyInput): Promise<void> {
    const wanted = [...new Set(input.steps.flatMap((step) => step.channelIds))];
    const missing = new Set(await this.repository.missingChannels(tenantId, wanted));
    for (const [index, step] of input.steps.entries()) {
      const unknown = step.channelIds.find((id) => missing.has(id));
      if (unknown) throw invalid(`steps.${index}.channelIds: channel ${unknown} was not found`);
    }
  }

  private async recorded(
    actor: TokenActor,
    action: string,
    record: EscalationPolicyRecord,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    this.changes.notify({ kind: 'escalation', tenantId: record.tenantId });
    await this.audit.record({
      actor,
      action,
      target: { type: 'escalation_policy', id: record.id },
      data: { name: record.input.name, ...data },
    });
  }
}
