import { loadConfig } from '@optralis/config';
import type { TenantId } from '@optralis/db';

import { strictMock } from '@optralis/testing/vitest';
import { AuthEnv } from '../config';
import type { KeysService } from '../keys/keys.service';
import type { AuditTrail } from '../shared/audit.trail';
import type { SessionsService, TokenPair } from '../sessions/sessions.service';
import type { TenantsRepository } from '../tenants/tenants.repository';
import type { MemberRecord, UsersRepository } from '../users/users.repository';
import { MfaChallenges } from './mfa-challenges';
import { MfaLoginService } from './mfa-login.service';
import type { MfaRepository } from './mfa.repository';
import type { MfaService } from './mfa.service';

const USER_ID = '11111111-1111-4111-8111-111111111111';
const TENANT = '22222222-2222-4222-8222-222222222222' as TenantId;
const MEMBER = { id: USER_ID, email: 'ops@example.com', status: 'active', role: 'admin' } as MemberRecord;
const PAYLOAD = { sub: USER_ID, tenant: TENANT, purpose: 'mfa', jti: 'j-1', exp: Date.now() / 1000 + 300 };

describe(MfaLoginService.name, () => {
  function setup() {
    const keys = strictMock<KeysService>(['verify']);
    const repository = strictMock<MfaRepository>(['isConsumed', 'countAttempt', 'consumeChallenge']);
    const challenges = new MfaChallenges(keys, repository, loadConfig(AuthEnv, {}));
    const mfa = strictMock<MfaService>(['prove', 'enroll', 'confirm']);
    const sessions = strictMock<SessionsService>(['openSession']);
    const users = strictMock<UsersRepository>(['member']);
    const tenants = strictMock<TenantsRepository>(['findById']);
    const audit = strictMock<AuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    const sut = new MfaLoginService(mfa, challenges, sessions, users, tenants, audit);
    return { sut, keys, repository, mfa, sessions, users, tenants };
  }

  it('should check the token against the MFA audience and open a session when the code is right', async () => {
    const { sut, keys, repository, mfa, sessions, users, tenants } = setup();
    keys.verify.mockResolvedValue(PAYLOAD);
    repository.isConsumed.mockResolvedValue(false);
    repository.countAttempt.mockResolvedValue({ attempts: 1, consumed: false });
    repository.consumeChallenge.mockResolvedValue(true);
    users.member.mockResolvedValue(MEMBER);
    mfa.prove.mockResolvedValue('totp');
    tenants.findById.mockResolvedValue({ id: TENANT });
    sessions.openSession.mockResolvedValue({ sessionId: 's' } as TokenPair);

    await expect(sut.verify('token', { code: '123456' })).resolves.toEqual({ sessionId: 's' });
    expect(keys.verify).toHaveBeenCalledWith('token', 'optralis:mfa');
    expect(users.member).toHaveBeenCalledWith(TENANT, USER_ID);
    expect(repository.consumeChallenge).toHaveBeenCalledWith('j-1');
    expect(sessions.openSession).toHaveBeenCalledWith(MEMBER, { id: TENANT }, 'admin');
  });

  it('should answer rate_limited without looking at the code when the token had five attempts', async () => {
    const { sut, keys, repository } = setup();
    keys.verify.mockResolvedValue(PAYLOAD);
    repository.isConsumed.mockResolvedValue(false);
    repository.countAttempt.mockResolvedValue({ attempts: 6, consumed: false });

    await expect(sut.verify('token', { code: '123456' })).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('should answer token_invalid when an enrolment token is presented for the login step', async () => {
    const { sut, keys } = setup();
    keys.verify.mockResolvedValue({ ...PAYLOAD, purpose: 'mfa_enroll' });

    await expect(sut.verify('token', { code: '123456' })).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('should answer token_invalid when the membership is gone since the password step', async () => {
    const { sut, keys, repository, users } = setup();
    keys.verify.mockResolvedValue(PAYLOAD);
    repository.isConsumed.mockResolvedValue(false);
    repository.countAttempt.mockResolvedValue({ attempts: 1, consumed: false });
    users.member.mockResolvedValue(undefined);

    await expect(sut.verify('token', { code: '123456' })).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('should not open a session when another request consumed the token first', async () => {
    const { sut, keys, repository, mfa, users } = setup();
    keys.verify.mockResolvedValue(PAYLOAD);
    repository.isConsumed.mockResolvedValue(false);
    repository.countAttempt.mockResolvedValue({ attempts: 2, consumed: false });
    users.member.mockResolvedValue(MEMBER);
    mfa.prove.mockResolvedValue('recovery_code');
    repository.consumeChallenge.mockResolvedValue(false);

    await expect(sut.verify('token', { recoveryCode: 'abcde-fghjk' })).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });
});
