import type { TokenActor } from '@optralis/contracts';
import { type Mock, vi } from 'vitest';

import type { AlertingAuditTrail } from '../shared/audit-trail';
import type { ConfigChanges } from '../shared/config-changes';
import type { SecretBox } from '../shared/secret-box';
import type { SettingsChange, SettingsRecord, SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

function strictMock<T>(methods: (keyof T)[]): Record<keyof T, Mock> {
  const mock = {} as Record<keyof T, Mock>;
  for (const method of methods) {
    mock[method] = vi.fn(() => {
      throw new Error(`unexpected call to ${String(method)}`);
    });
  }
  return mock;
}

const admin: TokenActor = { userId: 'user-1', tenantId: 'tenant-a', role: 'admin' };
const server = {
  host: 'smtp.example.com',
  port: 587,
  secure: false,
  username: 'alerts',
  from: 'a@example.com',
};

describe(SettingsService.name, () => {
  function setup() {
    const repository = strictMock<SettingsRepository>(['find', 'save']);
    const box = strictMock<SecretBox>(['seal', 'open']);
    const audit = strictMock<AlertingAuditTrail>(['record']);
    const changes = strictMock<ConfigChanges>(['notify']);
    audit.record.mockResolvedValue(undefined);
    changes.notify.mockReturnValue(undefined);
    repository.save.mockImplementation(
      async (tenantId: string, change: SettingsChange): Promise<SettingsRecord> => ({
        tenantId,
        smtp: change.smtp ? change.smtp.settings : null,
        sealedPassword: change.smtp && change.smtp.password !== 'keep' ? change.smtp.password.sealed : 'kept',
        anomaly: change.anomaly ?? {},
        flapping: change.flapping ?? {},
        updatedAt: new Date('2026-01-01T00:00:00Z'),
      }),
    );
    const sut = new SettingsService(
      repository as unknown as SettingsRepository,
      box as unknown as SecretBox,
      audit as unknown as AlertingAuditTrail,
      changes as unknown as ConfigChanges,
    );
    return { sut, repository, box, audit, changes };
  }

  it('should seal a new password bound to the tenant and never pass it on in clear', async () => {
    const { sut, repository, box, audit } = setup();
    box.seal.mockReturnValue('sealed!');

    const settings = await sut.update(admin, { smtp: { ...server, password: 'hunter2' } });

    expect(box.seal).toHaveBeenCalledWith('hunter2', 'smtp:tenant-a');
    expect(repository.save).toHaveBeenCalledWith('tenant-a', {
      smtp: { settings: server, password: { sealed: 'sealed!' } },
      anomaly: undefined,
      flapping: undefined,
    });
    expect(settings.smtp).toEqual({ ...server, passwordSet: true });
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('hunter2');
  });

  it('should keep the stored password when the update leaves it out', async () => {
    const { sut, repository } = setup();

    await sut.update(admin, { smtp: server });

    expect(repository.save.mock.calls[0]![1].smtp).toEqual({ settings: server, password: 'keep' });
  });

  it('should remove the password on an empty one and the server on null', async () => {
    const { sut, repository } = setup();

    await sut.update(admin, { smtp: { ...server, password: '' } });
    await sut.update(admin, { smtp: null });

    expect(repository.save.mock.calls[0]![1].smtp).toEqual({ settings: server, password: { sealed: null } });
    expect(repository.save.mock.calls[1]![1].smtp).toBeNull();
  });

  it('should leave SMTP alone when the update does not mention it, and announce the change', async () => {
    const { sut, repository, changes } = setup();
    const flapping = { windowSeconds: 600, maxTransitions: 3 };

    await sut.update(admin, { flapping });

    expect(repository.save).toHaveBeenCalledWith('tenant-a', { anomaly: undefined, flapping });
    expect(changes.notify).toHaveBeenCalledWith({ kind: 'settings', tenantId: 'tenant-a' });
  });

  it('should fill defaults when the tenant has no settings', async () => {
    const { sut, repository } = setup();
    repository.find.mockResolvedValue(undefined);

    expect(await sut.get({ ...admin, role: 'observer' })).toEqual({
      tenantId: 'tenant-a',
      smtp: null,
      anomaly: { zWarning: 2, zCritical: 3, alpha: 0.3, warmupSamples: 30 },
      flapping: { windowSeconds: 600, maxTransitions: 6 },
      updatedAt: null,
    });
  });

  it('should forbid an editor to update', async () => {
    const { sut } = setup();

    await expect(sut.update({ ...admin, role: 'editor' }, { flapping: undefined })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
