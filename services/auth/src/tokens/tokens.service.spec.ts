import type { TokenActor } from '@optralis/contracts';

import { strictMock } from '@optralis/testing/vitest';
import { AuditRecorder } from '../audit/audit-recorder';
import { TokenRevocations } from './token-revocations.subscriber';
import type { TokenRecord } from './token.types';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';

describe(TokensService.name, () => {
  const admin: TokenActor = { userId: 'user-1', tenantId: 'tenant-a', role: 'admin' };

  function setup() {
    const repository = strictMock<TokensRepository>(['insert', 'list', 'revoke']);
    const revocations = strictMock<TokenRevocations>(['announce']);
    const audit = strictMock<AuditRecorder>(['record']);
    audit.record.mockResolvedValue(undefined);
    return { sut: new TokensService(repository, revocations, audit), repository, revocations, audit };
  }

  it('should store only the hash and audit the creation when an admin creates an API token', async () => {
    const { sut, repository, audit } = setup();
    repository.insert.mockImplementation(async (_tenant, token) => ({
      ...token,
      tenantId: 'tenant-a',
      createdAt: new Date(),
    }));
    const { record, token } = await sut.create(admin, 'api', { name: 'ci', role: 'editor' });
    const stored = repository.insert.mock.calls[0][1];
    expect(repository.insert).toHaveBeenCalledWith(
      'tenant-a',
      expect.objectContaining({ name: 'ci', role: 'editor' }),
    );
    expect(JSON.stringify(stored)).not.toContain(token.slice(-48));
    expect(token.startsWith(record.prefix)).toBe(true);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        tenantId: 'tenant-a',
        action: 'api_token.created',
        actor: { type: 'user', id: 'user-1' },
      }),
    );
  });

  it('should refuse a role above the actor’s when an admin asks for an owner token', async () => {
    const { sut } = setup();
    await expect(sut.create(admin, 'api', { name: 'x', role: 'owner' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('should refuse every management call when the actor is an editor or observer', async () => {
    const { sut } = setup();
    for (const role of ['editor', 'observer'] as const) {
      const actor = { ...admin, role };
      await expect(sut.create(actor, 'ingest', { name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(sut.list(actor, 'api', false)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(sut.revoke(actor, 'api', 'id')).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('should answer not_found without announcing when the token is not in the actor’s tenant', async () => {
    const { sut, repository } = setup();
    repository.revoke.mockResolvedValue(undefined);
    await expect(sut.revoke(admin, 'ingest', 'other-tenant-token')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(repository.revoke).toHaveBeenCalledWith('tenant-a', 'ingest', 'other-tenant-token');
  });

  it('should announce the revocation to every instance and audit it when the token is revoked', async () => {
    const { sut, repository, revocations, audit } = setup();
    const record = {
      id: 'id-1',
      prefix: 'opt_ing_abcdefgh',
      name: 'agents',
      revokedAt: new Date(),
    } as TokenRecord;
    repository.revoke.mockResolvedValue(record);
    revocations.announce.mockResolvedValue(undefined);
    await expect(sut.revoke(admin, 'ingest', 'id-1')).resolves.toBe(record);
    expect(revocations.announce).toHaveBeenCalledWith('opt_ing_abcdefgh');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'ingest_token.revoked' }));
  });
});
