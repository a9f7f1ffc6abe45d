import { loadConfig } from '@optralis/config';
import type { TenantId } from '@optralis/db';

import { strictMock } from '@optralis/testing/vitest';
import { AuthEnv } from '../config';
import type { KeysService } from '../keys/keys.service';
import type { AuditTrail } from '../shared/audit.trail';
import { sha256 } from '../shared/secrets';
import type { TenantsRepository } from '../tenants/tenants.repository';
import type { CredentialsService } from '../users/credentials.service';
import type { UserRecord, UsersRepository } from '../users/users.repository';
import type { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const USER: UserRecord = {
  id: '11111111-1111-4111-8111-111111111111',
  email: 'ops@example.com',
  passwordHash: 'h',
  status: 'active',
  mustChangePassword: false,
  passwordSetAt: new Date(),
  failedLoginCount: 0,
  lockedUntil: null,
  mfaEnabled: false,
  createdAt: new Date(),
};
const A = '22222222-2222-4222-8222-222222222222' as TenantId;
const B = '33333333-3333-4333-8333-333333333333' as TenantId;
const SESSION = { id: '44444444-4444-4444-8444-444444444444', userId: USER.id, tenantId: A, revokedAt: null };

describe(SessionsService.name, () => {
  function setup() {
    const sessions = strictMock<SessionsRepository>(['findRefresh', 'revoke', 'rotate', 'create']);
    const users = strictMock<UsersRepository>(['memberships', 'member']);
    const tenants = strictMock<TenantsRepository>(['findById']);
    const credentials = strictMock<CredentialsService>(['verify']);
    const keys = strictMock<KeysService>(['sign']);
    const audit = strictMock<AuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    const config = loadConfig(AuthEnv, {});
    const sut = new SessionsService(sessions, users, tenants, credentials, keys, audit, config);
    return { sut, sessions, users, tenants, credentials, keys, audit };
  }

  it('should list the tenants and ask for one when a user of two tenants logs in without choosing', async () => {
    const { sut, users, credentials } = setup();
    credentials.verify.mockResolvedValue(USER);
    users.memberships.mockResolvedValue([
      { tenantId: A, slug: 'a', name: 'A', role: 'admin' },
      { tenantId: B, slug: 'b', name: 'B', role: 'observer' },
    ]);

    await expect(sut.login({ email: USER.email, password: 'x' })).rejects.toMatchObject({
      code: 'tenant_selection_required',
      details: { tenants: [expect.objectContaining({ id: A }), expect.objectContaining({ id: B })] },
    });
  });

  it('should revoke the session and audit it when a rotated refresh token comes back', async () => {
    const { sut, sessions, audit } = setup();
    sessions.findRefresh.mockResolvedValue({
      sessionId: SESSION.id,
      rotatedAt: new Date(),
      session: { ...SESSION, expiresAt: new Date(Date.now() + 60_000) },
    });
    sessions.revoke.mockResolvedValue(true);

    await expect(sut.refresh('an-old-refresh-token')).rejects.toMatchObject({ code: 'token_invalid' });
    expect(sessions.findRefresh).toHaveBeenCalledWith(sha256('an-old-refresh-token'));
    expect(sessions.revoke).toHaveBeenCalledWith(SESSION.id, 'refresh token reuse');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'session.revoked' }));
  });

  it('should treat a lost rotation race as reuse when another refresh used the token first', async () => {
    const { sut, sessions, users } = setup();
    sessions.findRefresh.mockResolvedValue({
      sessionId: SESSION.id,
      rotatedAt: null,
      session: { ...SESSION, expiresAt: new Date(Date.now() + 60_000) },
    });
    users.member.mockResolvedValue({ ...USER, role: 'admin' });
    sessions.rotate.mockResolvedValue(false);
    sessions.revoke.mockResolvedValue(true);

    await expect(sut.refresh('a-refresh-token-here')).rejects.toMatchObject({ code: 'token_invalid' });
    expect(sessions.revoke).toHaveBeenCalledWith(SESSION.id, 'refresh token reuse');
  });

  it('should hand out an enrolment token instead of tokens when the tenant requires MFA for admins', async () => {
    const { sut, users, tenants, credentials, keys } = setup();
    credentials.verify.mockResolvedValue(USER);
    users.memberships.mockResolvedValue([{ tenantId: A, slug: 'a', name: 'A', role: 'admin' }]);
    tenants.findById.mockResolvedValue({
      id: A,
      slug: 'a',
      name: 'A',
      settings: { mfaRequiredForAdmins: true, passwordExpiryDays: null },
    });
    keys.sign.mockResolvedValue({ token: 'mfa-token', jti: 'j' });

    await expect(sut.login({ email: USER.email, password: 'x' })).resolves.toEqual({
      mfaEnrollmentRequired: true,
      mfaToken: 'mfa-token',
    });
    expect(keys.sign).toHaveBeenCalledWith(
      expect.objectContaining({
        claims: { tenant: A, purpose: 'mfa_enroll' },
        ttlSeconds: 300,
        audience: 'optralis:mfa',
      }),
    );
  });
});
