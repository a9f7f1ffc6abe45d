import { asTenantId } from '@optralis/db';
import { factory } from '@optralis/testing';

import { strictMock } from '@optralis/testing/vitest';
import { chainHash, GENESIS_HASH } from './audit-chain';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import type { JournalEntry } from './audit.types';

const tenantId = asTenantId('tenant-a');

function chain(length: number): JournalEntry[] {
  const rows: JournalEntry[] = [];
  for (let index = 0; index < length; index++) {
    const fields = {
      id: `e-${index}`,
      seq: String(index + 1),
      tenantId,
      time: new Date(1_700_000_000_000 + index),
      service: 'auth',
      actor: { type: 'system' as const, id: 'test' },
      action: 'test',
      target: null,
      outcome: 'success',
      requestId: null,
      ip: null,
      data: {},
      prevHash: rows[index - 1]?.hash ?? GENESIS_HASH,
    };
    rows.push({ ...fields, hash: chainHash(fields) });
  }
  return rows;
}

describe(AuditService.name, () => {
  function setup(
    rows: JournalEntry[],
    head = {
      lastSeq: rows.at(-1)?.seq ?? null,
      lastHash: rows.at(-1)?.hash ?? GENESIS_HASH,
      count: rows.length,
    },
  ) {
    const repository = strictMock<AuditRepository>(['append', 'head', 'chainPage', 'firstSeq', 'list']);
    repository.head.mockResolvedValue(head);
    repository.chainPage.mockImplementation(async (_tenant, afterSeq: string | null, _upTo, limit: number) =>
      rows.filter((row) => afterSeq === null || Number(row.seq) > Number(afterSeq)).slice(0, limit),
    );
    return { sut: new AuditService(repository), repository };
  }

  it('should accept a chain longer than one page when nothing was changed', async () => {
    const { sut, repository } = setup(chain(2500));
    await expect(sut.verify(tenantId)).resolves.toEqual({ ok: true, checked: 2500 });
    expect(repository.chainPage).toHaveBeenCalledTimes(3);
  });

  it('should name the altered row when a field no longer matches its hash', async () => {
    const rows = chain(5);
    rows[3] = { ...rows[3], action: 'tampered' };
    const { sut } = setup(rows);
    await expect(sut.verify(tenantId)).resolves.toEqual({
      ok: false,
      checked: 3,
      brokenAt: { seq: 4, reason: 'the row was altered' },
    });
  });

  it('should report rows without a head when the head row is gone', async () => {
    const { sut, repository } = setup([], undefined as never);
    repository.head.mockResolvedValue(undefined);
    repository.firstSeq.mockResolvedValue('7');
    await expect(sut.verify(tenantId)).resolves.toMatchObject({ ok: false, brokenAt: { seq: 7 } });
  });

  it('should refuse another tenant’s chain when the actor belongs elsewhere', async () => {
    const { sut } = setup([]);
    await expect(
      sut.verify(tenantId, { userId: 'u', tenantId: 'tenant-b', role: 'owner' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('should append with a seal that hashes the row onto the previous hash when an event arrives', async () => {
    const { sut, repository } = setup([]);
    repository.append.mockResolvedValue('appended');
    const event = factory.auditEvent({ tenantId });
    await expect(sut.append(event)).resolves.toBe('appended');
    const [, entry, seal] = repository.append.mock.calls[0];
    expect(seal('1', GENESIS_HASH)).toBe(chainHash({ ...entry, seq: '1', tenantId, prevHash: GENESIS_HASH }));
  });
});
