import { Injectable } from '@nestjs/common';
import { type AuditEvent, TOKEN_ROLES, type TokenActor } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { chainHash, GENESIS_HASH } from './audit-chain';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditRepository } from './audit.repository';
import type { AuditFilter, JournalEntry, NewEntry } from './audit.types';

const PAGE = 1000;
const READERS: readonly (typeof TOKEN_ROLES)[number][] = ['owner', 'admin'];

export interface ChainReport {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; reason: string };
}

/** The journal: append, read, and prove that nothing was edited, removed or reordered. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  async append(event: AuditEvent): Promise<'appended' | 'duplicate'> {
    const tenantId = asTenantId(event.tenantId);
    const entry: NewEntry = {
      id: event.id,
      // Millisecond precision, as Postgres gives it back to JavaScript: the hash must survive a read.
      time: new Date(event.time),
      service: event.service,
      actor: event.actor,
      action: event.action,
      target: event.target ?? null,
      outcome: event.outcome,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
      data: event.data,
    };
    if (Number.isNaN(entry.time.getTime()))
      throw new AuditError(AuditErrorCode.InvalidEvent, 'time is not a date');
    return this.repository.append(tenantId, entry, (seq, prevHash) =>
      chainHash({ ...entry, seq, tenantId, prevHash }),
    );
  }

  async list(
    actor: TokenActor,
    filter: AuditFilter,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: JournalEntry[]; nextCursor: string | null }> {
    this.assertReader(actor);
    const rows = await this.repository.list(asTenantId(actor.tenantId), filter, {
      limit: page.limit + 1,
      beforeSeq: page.cursor,
    });
    const items = rows.slice(0, page.limit);
    return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].seq : null };
  }

  async verify(tenant: string, actor?: TokenActor): Promise<ChainReport> {
    if (actor) {
      if (actor.tenantId !== tenant)
        throw new AuditError(AuditErrorCode.NotFound, `tenant ${tenant} not found`);
      this.assertReader(actor);
    }
    const tenantId = asTenantId(tenant);
    const head = await this.repository.head(tenantId);
    if (!head?.lastSeq) {
      const orphan = await this.repository.firstSeq(tenantId);
      return orphan ? broken(0, orphan, 'rows exist but the chain head is gone') : { ok: true, checked: 0 };
    }
    return this.walk(tenantId, head.lastSeq, head.lastHash, head.count);
  }

  private async walk(
    tenantId: TenantId,
    lastSeq: string,
    lastHash: string,
    count: number,
  ): Promise<ChainReport> {
    let checked = 0;
    let previous: JournalEntry | undefined;
    for (;;) {
      const page = await this.repository.chainPage(tenantId, previous?.seq ?? null, lastSeq, PAGE);
      for (const row of page) {
        const expectedPrev = previous?.hash ?? GENESIS_HASH;
        if (row.prevHash !== expectedPrev) {
          return broken(checked, row.seq, 'the previous row is missing or out of order');
        }
        const { hash, ...fields } = row;
        if (chainHash(fields) !== hash) return broken(checked, row.seq, 'the row was altered');
        checked++;
        previous = row;
      }
      if (page.length < PAGE) break;
    }
    if (previous?.hash !== lastHash || checked !== count) {
      return broken(checked, lastSeq, 'rows are missing at the end of the chain');
    }
    return { ok: true, checked };
  }

  private assertReader(actor: TokenActor): void {
    if (!READERS.includes(actor.role)) {
      throw new AuditError(AuditErrorCode.Forbidden, 'only an owner or admin may read the audit journal');
    }
  }
}

function broken(checked: number, seq: string, reason: string): ChainReport {
  return { ok: false, checked, brokenAt: { seq: Number(seq), reason } };
}
