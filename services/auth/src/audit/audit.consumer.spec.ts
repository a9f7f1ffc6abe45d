import { factory } from '@optralis/testing';

import { strictMock } from '@optralis/testing/vitest';
import { AuditJournalConsumer } from './audit.consumer';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditService } from './audit.service';

describe(AuditJournalConsumer.name, () => {
  function setup() {
    const audit = strictMock<AuditService>(['append']);
    return { sut: new AuditJournalConsumer(audit), audit };
  }
  const event = factory.auditEvent({ tenantId: 'tenant-a' });

  it('should be done when the event is appended and skipped when it was already journaled', async () => {
    const { sut, audit } = setup();
    audit.append.mockResolvedValueOnce('appended').mockResolvedValueOnce('duplicate');
    await expect(sut.journal(event)).resolves.toEqual({ kind: 'done' });
    await expect(sut.journal(event)).resolves.toMatchObject({ kind: 'skipped' });
  });

  it('should reject the message when Postgres cannot store the event', async () => {
    const { sut, audit } = setup();
    audit.append.mockRejectedValue(
      new AuditError(AuditErrorCode.InvalidEvent, 'unsupported Unicode escape sequence'),
    );
    await expect(sut.journal(event)).resolves.toMatchObject({ kind: 'reject' });
  });

  it('should let the transport retry when the database is away', async () => {
    const { sut, audit } = setup();
    audit.append.mockRejectedValue(new Error('connection refused'));
    await expect(sut.journal(event)).rejects.toThrow('connection refused');
  });
});
