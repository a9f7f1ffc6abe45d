import { Injectable } from '@nestjs/common';

import { AuditTrail } from '../shared/audit.trail';
import { AuthError } from '../shared/auth-error';
import { type TokenPair, SessionsService } from '../sessions/sessions.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { type MemberRecord, UsersRepository } from '../users/users.repository';
import { type MfaChallenge, MfaChallenges } from './mfa-challenges';
import { MfaErrorCode } from './mfa.errors';
import { MfaService, type SecondFactor } from './mfa.service';

/** The steps of a login that come after the password: a second factor, or a forced enrolment. */
@Injectable()
export class MfaLoginService {
  constructor(
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallenges,
    private readonly sessions: SessionsService,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async verify(mfaToken: string, factor: SecondFactor): Promise<TokenPair> {
    const challenge = await this.challenges.open(mfaToken, 'mfa');
    await this.challenges.attempt(challenge);
    const member = await this.memberOf(challenge);
    const method = await this.mfa.prove(challenge.tenantId, member, factor);
    return this.finish(challenge, member, method);
  }

  /** Enrolment with the token of a login the tenant's policy held back; nothing else is allowed with it. */
  async enroll(mfaToken: string): Promise<{ secret: string; otpauthUri: string }> {
    const challenge = await this.challenges.open(mfaToken, 'mfa_enroll');
    return this.mfa.enroll(challenge.tenantId, await this.memberOf(challenge));
  }

  async confirm(mfaToken: string, code: string): Promise<{ recoveryCodes: string[]; session: TokenPair }> {
    const challenge = await this.challenges.open(mfaToken, 'mfa_enroll');
    await this.challenges.attempt(challenge);
    const member = await this.memberOf(challenge);
    const recoveryCodes = await this.mfa.confirm(challenge.tenantId, member, code);
    return { recoveryCodes, session: await this.finish(challenge, member, 'totp_enrolled') };
  }

  private async finish(challenge: MfaChallenge, member: MemberRecord, method: string): Promise<TokenPair> {
    await this.challenges.consume(challenge);
    const tenant = (await this.tenants.findById(challenge.tenantId))!;
    const pair = await this.sessions.openSession(member, tenant, member.role);
    await this.audit.record({
      tenantId: tenant.id,
      actor: { type: 'user', id: member.id, name: member.email },
      action: 'login.succeeded',
      target: { type: 'user', id: member.id },
      data: { sessionId: pair.sessionId, mfa: method },
    });
    return pair;
  }

  /** The user and tenant the password step chose; a membership removed since then ends the login. */
  private async memberOf(challenge: MfaChallenge): Promise<MemberRecord> {
    const member = await this.users.member(challenge.tenantId, challenge.userId);
    if (!member || member.status !== 'active') {
      throw new AuthError(MfaErrorCode.TokenInvalid, 'the MFA token is not valid');
    }
    return member;
  }
}
