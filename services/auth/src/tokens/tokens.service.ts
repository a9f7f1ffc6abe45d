import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { TOKEN_ROLES, type TokenActor, type TokenRole } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';

import { AuditRecorder } from '../audit/audit-recorder';
import { issueToken, type TokenKind } from './token-format';
import { TokenRevocations } from './token-revocations.subscriber';
import type { TokenRecord } from './token.types';
import { TokenError, TokenErrorCode } from './tokens.errors';
import { TokensRepository } from './tokens.repository';

export interface CreateTokenInput {
  name: string;
  /** API tokens only. */
  role?: TokenRole;
  expiresAt?: Date | null;
}

const MANAGERS: readonly TokenRole[] = ['owner', 'admin'];
const AUDIT_NAME: Record<TokenKind, string> = { api: 'api_token', ingest: 'ingest_token' };

function rank(role: TokenRole): number {
  return TOKEN_ROLES.length - TOKEN_ROLES.indexOf(role);
}

/** Creates, lists and revokes API and ingest tokens in the actor's own tenant. */
@Injectable()
export class TokensService {
  constructor(
    private readonly repository: TokensRepository,
    private readonly revocations: TokenRevocations,
    private readonly audit: AuditRecorder,
  ) {}

  async create(
    actor: TokenActor,
    kind: TokenKind,
    input: CreateTokenInput,
  ): Promise<{ record: TokenRecord; token: string }> {
    this.assertManager(actor);
    const role = kind === 'api' ? (input.role ?? 'observer') : null;
    if (role && rank(role) > rank(actor.role)) {
      throw new TokenError(
        TokenErrorCode.Forbidden,
        `a ${actor.role} cannot create a token with role ${role}`,
      );
    }
    const issued = issueToken(kind);
    const record = await this.repository.insert(asTenantId(actor.tenantId), {
      id: randomUUID(),
      kind,
      name: input.name,
      role,
      prefix: issued.prefix,
      hash: issued.hash,
      createdBy: actor.userId,
      expiresAt: kind === 'api' ? (input.expiresAt ?? null) : null,
    });
    await this.audit.record({
      tenantId: actor.tenantId,
      actor: { type: 'user', id: actor.userId },
      action: `${AUDIT_NAME[kind]}.created`,
      target: { type: AUDIT_NAME[kind], id: record.id },
      data: {
        name: record.name,
        prefix: record.prefix,
        role,
        expiresAt: record.expiresAt?.toISOString() ?? null,
      },
    });
    return { record, token: issued.token };
  }

  async list(actor: TokenActor, kind: TokenKind, includeRevoked: boolean): Promise<TokenRecord[]> {
    this.assertManager(actor);
    return this.repository.list(asTenantId(actor.tenantId), kind, includeRevoked);
  }

  async revoke(actor: TokenActor, kind: TokenKind, id: string): Promise<TokenRecord> {
    this.assertManager(actor);
    const record = await this.repository.revoke(asTenantId(actor.tenantId), kind, id);
    if (!record?.revokedAt)
      throw new TokenError(TokenErrorCode.NotFound, `${AUDIT_NAME[kind]} ${id} not found`);
    await this.revocations.announce(record.prefix);
    await this.audit.record({
      tenantId: actor.tenantId,
      actor: { type: 'user', id: actor.userId },
      action: `${AUDIT_NAME[kind]}.revoked`,
      target: { type: AUDIT_NAME[kind], id: record.id },
      data: { name: record.name, prefix: record.prefix },
    });
    return record;
  }

  private assertManager(actor: TokenActor): void {
    if (!MANAGERS.includes(actor.role)) {
      throw new TokenError(TokenErrorCode.Forbidden, 'only an owner or admin may manage tokens');
    }
  }
}
