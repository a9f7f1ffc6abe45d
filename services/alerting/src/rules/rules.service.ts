import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { Rule, RuleInput, RuleKind, TokenActor } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { canRead, canWrite } from '../shared/actor-access';
import { AlertingError, AlertingErrorCode, invalid } from '../shared/alerting.errors';
import { AlertingAuditTrail } from '../shared/audit-trail';
import { ConfigChanges } from '../shared/config-changes';
import { decodeCursor, page } from '../shared/list-cursor';
import { RuleSource } from '../shared/ports';
import { checkedRule, mergedRule } from './rule-definition';
import { type RuleRecord, RulesRepository } from './rules.repository';

export interface RuleListRequest {
  kind?: RuleKind;
  enabled?: boolean;
  limit: number;
  cursor?: string;
}

function toRule(record: RuleRecord): Rule {
  return {
    ...record.definition,
    id: record.id,
    tenantId: record.tenantId,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function notFound(id: string): AlertingError {
  return new AlertingError(AlertingErrorCode.ruleNotFound, `rule ${id} was not found`);
}

/** What people do with alert rules, and the enabled rules the evaluator runs. */
@Injectable()
export class RulesService implements RuleSource {
  constructor(
    private readonly repository: RulesRepository,
    private readonly audit: AlertingAuditTrail,
    private readonly changes: ConfigChanges,
  ) {}

  async list(
    actor: TokenActor,
    request: RuleListRequest,
  ): Promise<{ items: Rule[]; nextCursor: string | null }> {
    const tenantId = canRead(actor);
    const rows = await this.repository.list(tenantId, {
      kind: request.kind,
      enabled: request.enabled,
      after: decodeCursor(request.cursor),
      limit: request.limit + 1,
    });
    const found = page(rows, request.limit, (row) => ({ time: row.createdAt, id: row.id }));
    return { items: found.items.map(toRule), nextCursor: found.nextCursor };
  }

  async get(actor: TokenActor, id: string): Promise<Rule> {
    const record = await this.repository.find(canRead(actor), id);
    if (!record) throw notFound(id);
    return toRule(record);
  }

  async create(actor: TokenActor, input: RuleInput): Promise<Rule> {
    const tenantId = canWrite(actor);
    const definition = checkedRule(input);
    await this.checkReferences(tenantId, definition);
    const record = await this.repository.insert(tenantId, {
      id: randomUUID(),
      definition,
      createdBy: actor.userId,
    });
    await this.recorded(actor, 'rule.created', record);
    return toRule(record);
  }

  async update(actor: TokenActor, id: string, changes: Record<string, unknown>): Promise<Rule> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored) throw notFound(id);
    const definition = mergedRule(stored.definition, changes);
    await this.checkReferences(tenantId, definition);
    const record = await this.repository.update(tenantId, id, definition);
    if (!record) throw notFound(id);
    await this.recorded(actor, 'rule.updated', record, { changed: Object.keys(changes) });
    return toRule(record);
  }

  async remove(actor: TokenActor, id: string): Promise<void> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored || !(await this.repository.delete(tenantId, id))) throw notFound(id);
    await this.recorded(actor, 'rule.deleted', stored);
  }

  async enabledRules(): Promise<Rule[]> {
    return (await this.repository.enabledOfEveryTenant()).map(toRule);
  }

  async enabledRulesOf(tenantId: string): Promise<Rule[]> {
    return (await this.repository.enabledOf(asTenantId(tenantId))).map(toRule);
  }

  private async checkReferences(tenantId: TenantId, rule: RuleInput): Promise<void> {
    const [missing] = await this.repository.missingChannels(tenantId, rule.channelIds);
    if (missing) throw invalid(`channelIds: channel ${missing} was not found`);
    const policyId = rule.escalationPolicyId;
    if (policyId !== null && !(await this.repository.hasEscalationPolicy(tenantId, policyId))) {
      throw invalid(`escalationPolicyId: escalation policy ${policyId} was not found`);
    }
  }

  private async recorded(
    actor: TokenActor,
    action: string,
    record: RuleRecord,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    this.changes.notify({ kind: 'rules', tenantId: record.tenantId });
    await this.audit.record({
      actor,
      action,
      target: { type: 'rule', id: record.id },
      data: { name: record.definition.name, kind: record.definition.kind, ...data },
    });
  }
}
