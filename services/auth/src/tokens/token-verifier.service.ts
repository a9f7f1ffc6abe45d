import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TokenRole } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import { TokenCache } from './token-cache';
import { hashMatches, parseToken, type TokenKind } from './token-format';
import type { TokenRecord } from './token.types';
import { TokenError, TokenErrorCode } from './tokens.errors';
import { TokensRepository } from './tokens.repository';

export const TOUCH_INTERVAL_MS = 60_000;
export const CLOCK = Symbol('CLOCK');
export type Clock = () => number;

export interface VerifiedToken {
  kind: TokenKind;
  tenantId: TenantId;
  tokenId: string;
  role?: TokenRole;
  name: string;
}

/** Answers "whose token is this?" from the cache; the database only on a miss. */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly loading = new Map<string, Promise<TokenRecord | undefined>>();

  constructor(
    private readonly repository: TokensRepository,
    private readonly cache: TokenCache,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async verify(token: string): Promise<VerifiedToken> {
    const parsed = parseToken(token);
    if (!parsed) throw this.refused();
    const now = this.now();
    let record = this.cache.get(parsed.prefix, now);
    if (record === undefined) record = (await this.load(parsed.kind, parsed.prefix)) ?? null;
    if (!record || !hashMatches(token, record.hash)) throw this.refused();
    if (record.revokedAt || (record.expiresAt && record.expiresAt.getTime() <= now)) throw this.refused();
    if (this.cache.shouldTouch(parsed.prefix, now, TOUCH_INTERVAL_MS)) this.touch(record, now);
    return {
      kind: record.kind,
      tenantId: record.tenantId,
      tokenId: record.id,
      name: record.name,
      ...(record.role ? { role: record.role } : {}),
    };
  }

  /** One database read per prefix however many verifications wait for it. */
  private load(kind: TokenKind, prefix: string): Promise<TokenRecord | undefined> {
    const pending = this.loading.get(prefix);
    if (pending) return pending;
    const generation = this.cache.generation;
    const loaded = this.repository
      .findByPrefix(kind, prefix)
      .then((record) => {
        this.cache.set(prefix, record, this.now(), generation);
        return record;
      })
      .finally(() => this.loading.delete(prefix));
    this.loading.set(prefix, loaded);
    return loaded;
  }

  private touch(record: TokenRecord, now: number): void {
    this.repository.touch(record.tenantId, record.kind, record.id, new Date(now)).catch((error: unknown) => {
      this.logger.warn(
        { tokenId: record.id, error: (error as Error).message },
        'last-used time not recorded',
      );
    });
  }

  private refused(): TokenError {
    return new TokenError(TokenErrorCode.Unauthorized, 'the token is not valid');
  }
}
