import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessClaims, type ReplyOf } from '@optralis/contracts';
import { errors, importJWK, type JWTHeaderParameters, jwtVerify } from 'jose';

import type { GatewayConfig } from '../config';
import { Downstream } from '../downstream/downstream.service';
import { type Clock, GATEWAY_CLOCK, GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import type { GatewayActor } from './actor';

export type PublicJwk = ReplyOf<'rpc.auth.jwks'>['keys'][number];
type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

const ALGORITHM = 'ES256';
/** An unknown `kid` asks auth again at most this often, so forged kids cannot flood it. */
export const UNKNOWN_KID_REFRESH_MS = 10_000;
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies access JWTs locally against auth's JWKS (`rpc.auth.jwks`): the keys are cached, refreshed in
 * the background when stale, and at once (rate-limited) when a token names an unknown key.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger(AccessTokenVerifier.name);
  private keys = new Map<string, VerificationKey>();
  private published: PublicJwk[] = [];
  private loadedAt = 0;
  private lastUnknownKidRefresh = -Infinity;
  private loading?: Promise<void>;

  constructor(
    private readonly downstream: Downstream,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_CLOCK) private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<GatewayActor> {
    await this.ensureKeys();
    try {
      const { payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [ALGORITHM],
        issuer: this.config.GATEWAY_JWT_ISSUER,
        audience: this.config.GATEWAY_JWT_AUDIENCE,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const claims = AccessClaims.safeParse(payload);
      if (!claims.success) throw ProblemError.unauthorized('the access token is not valid', 'token_invalid');
      const { sub, tenant, role, sid } = claims.data;
      return { credential: 'session', userId: sub, tenantId: tenant, role, sessionId: sid };
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      if (error instanceof errors.JWTExpired) {
        throw ProblemError.unauthorized('the access token has expired; refresh it', 'token_expired');
      }
      throw ProblemError.unauthorized('the access token is not valid', 'token_invalid');
    }
  }

  /** The public keys auth signs with, for `GET /.well-known/jwks.json`. */
  async publicKeys(): Promise<PublicJwk[]> {
    await this.ensureKeys();
    return this.published;
  }

  private async ensureKeys(): Promise<void> {
    if (this.keys.size === 0) return this.reload();
    if (Date.now() - this.loadedAt > this.config.GATEWAY_JWKS_CACHE_SECONDS * 1000) {
      // Stale keys still verify while fresh ones are fetched; a rotation shows up as an unknown kid anyway.
      this.reload().catch((error: unknown) =>
        this.logger.warn({ error: (error as Error).message }, 'signing keys not refreshed'),
      );
    }
  }

  private async keyFor(header: JWTHeaderParameters): Promise<VerificationKey> {
    if (header.alg !== ALGORITHM || !header.kid) throw new Error('unexpected algorithm or missing kid');
    let key = this.keys.get(header.kid);
    if (!key && Date.now() - this.lastUnknownKidRefresh >= UNKNOWN_KID_REFRESH_MS) {
      this.lastUnknownKidRefresh = Date.now();
      await this.reload().catch(() => undefined);
      key = this.keys.get(header.kid);
    }
    if (!key) throw new Error('unknown signing key');
    return key;
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const { keys } = await this.downstream.call('rpc.auth.jwks', {});
    const imported = new Map<string, VerificationKey>();
    for (const jwk of keys) imported.set(jwk.kid, await importJWK(jwk, ALGORITHM));
    this.keys = imported;
    this.published = keys;
    this.loadedAt = Date.now();
  }
}
