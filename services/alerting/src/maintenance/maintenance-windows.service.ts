import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { type MaintenanceWindow, MaintenanceWindowInput, type TokenActor } from '@optralis/contracts';

import { canRead, canWrite } from '../shared/actor-access';
import { AlertingError, AlertingErrorCode, invalidFromZod } from '../shared/alerting.errors';
import { AlertingAuditTrail } from '../shared/audit-trail';
import { ConfigChanges } from '../shared/config-changes';
import { decodeCursor, type Keyset, page } from '../shared/list-cursor';
import { type MaintenanceWindowRecord, MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { type Occurrence, recurrenceOf, timingOf } from './recurrence';

export interface WindowListRequest {
  active?: boolean;
  limit: number;
  cursor?: string;
}

function iso(occurrence: Occurrence | null): { start: string; end: string } | null {
  return occurrence && { start: occurrence.start.toISOString(), end: occurrence.end.toISOString() };
}

function notFound(id: string): AlertingError {
  return new AlertingError(
    AlertingErrorCode.maintenanceWindowNotFound,
    `maintenance window ${id} was not found`,
  );
}

const keysetOf = (window: { createdAt: string | Date; id: string }): Keyset => ({
  time: new Date(window.createdAt),
  id: window.id,
});

/** Maintenance windows as people edit them; replies say whether each is on at the moment of the reply. */
@Injectable()
export class MaintenanceWindowsService {
  private readonly logger = new Logger(MaintenanceWindowsService.name);

  constructor(
    private readonly repository: MaintenanceWindowsRepository,
    private readonly audit: AlertingAuditTrail,
    private readonly changes: ConfigChanges,
  ) {}

  /** `active` is known only once computed, so pages are read until enough windows match. */
  async list(
    actor: TokenActor,
    request: WindowListRequest,
  ): Promise<{ items: MaintenanceWindow[]; nextCursor: string | null }> {
    const tenantId = canRead(actor);
    const now = new Date();
    const batch = request.limit + 1;
    const matching: MaintenanceWindow[] = [];
    let after = decodeCursor(request.cursor);
    for (;;) {
      const rows = await this.repository.list(tenantId, { after, limit: batch });
      const windows = rows.map((row) => this.reply(row, now));
      matching.push(...windows.filter((window) => (request.active ?? window.active) === window.active));
      const last = rows.at(-1);
      if (matching.length > request.limit || rows.length < batch || !last) break;
      after = keysetOf(last);
    }
    return page(matching, request.limit, keysetOf);
  }

  async get(actor: TokenActor, id: string): Promise<MaintenanceWindow> {
    const record = await this.repository.find(canRead(actor), id);
    if (!record) throw notFound(id);
    return this.reply(record, new Date());
  }

  async create(actor: TokenActor, input: MaintenanceWindowInput): Promise<MaintenanceWindow> {
    const tenantId = canWrite(actor);
    recurrenceOf(timingOf(input));
    const record = await this.repository.insert(tenantId, {
      id: randomUUID(),
      input,
      createdBy: actor.userId,
    });
    await this.recorded(actor, 'maintenance_window.created', record);
    return this.reply(record, new Date());
  }

  async update(actor: TokenActor, id: string, changes: Record<string, unknown>): Promise<MaintenanceWindow> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored) throw notFound(id);
    const parsed = MaintenanceWindowInput.safeParse({ ...stored.input, ...changes });
    if (!parsed.success) throw invalidFromZod(parsed.error);
    recurrenceOf(timingOf(parsed.data));
    const record = await this.repository.update(tenantId, id, parsed.data);
    if (!record) throw notFound(id);
    await this.recorded(actor, 'maintenance_window.updated', record, { changed: Object.keys(changes) });
    return this.reply(record, new Date());
  }

  async remove(actor: TokenActor, id: string): Promise<void> {
    const tenantId = canWrite(actor);
    const stored = await this.repository.find(tenantId, id);
    if (!stored || !(await this.repository.delete(tenantId, id))) throw notFound(id);
    await this.recorded(actor, 'maintenance_window.deleted', stored);
  }

  /** A disabled window is never active and has no occurrences to show. */
  private reply(record: MaintenanceWindowRecord, now: Date): MaintenanceWindow {
    let current: Occurrence | null = null;
    let next: Occurrence | null = null;
    if (record.input.enabled) {
      try {
        const recurrence = recurrenceOf(timingOf(record.input));
        current = recurrence.covering(now);
        next = recurrence.next(now);
      } catch (error) {
        this.logger.warn(
          { windowId: record.id, error: (error as Error).message },
          'window schedule unusable',
        );
      }
    }
    return {
      ...record.input,
      id: record.id,
      tenantId: record.tenantId,
      active: current !== null,
      currentOccurrence: iso(current),
      nextOccurrence: iso(next),
      createdBy: record.createdBy,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }

  private async recorded(
    actor: TokenActor,
    action: string,
    record: MaintenanceWindowRecord,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    this.changes.notify({ kind: 'maintenance', tenantId: record.tenantId });
    await this.audit.record({
      actor,
      action,
      target: { type: 'maintenance_window', id: record.id },
      data: { name: record.input.name, ...data },
    });
  }
}
