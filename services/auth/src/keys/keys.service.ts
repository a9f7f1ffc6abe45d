import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ReplyOf } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { CryptoKey, JWK, JWTHeaderParameters, JWTPayload } from 'jose';

import { AUTH_CONFIG, type AuthConfig } from '../shared/auth-config';
import { AuthError } from '../shared/auth-error';
import { AuditTrail, PLATFORM_AUDIT_TENANT } from '../shared/audit.trail';
import { decryptSecret, encryptSecret } from '@optralis/service-kit';
import { KeysErrorCode } from './keys.errors';
import { KeysRepository, type SigningKeyRow } from './keys.repository';
import { MASTER_KEY } from './master-key';

const ALG = 'ES256';
/** A retired key stays published this long after its last token can have expired. */
const PUBLISH_MARGIN_MS = 5 * 60_000;
const CACHE_MS = 60_000;
const UNKNOWN_KID_RELOAD_MS = 5_000;

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export type AccessClaims = ReplyOf<'rpc.auth.tokens.verifyAccess'>;

interface KeyCache {
  active: { kid: string; privateKey: CryptoKey };
  verifiers: Map<string, CryptoKey>;
  jwks: PublicJwk[];
  loadedAt: number;
}

export interface SignInput {
  subject: string;
  claims: Record<string, unknown>;
  ttlSeconds: number;
  audience?: string;
  /** Tests only: a token issued in the past. */
  issuedAt?: Date;
}

/** ES256 signing keys: generated, sealed at rest, rotated on schedule, published as a JWKS. */
@Injectable()
export class KeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KeysService.name);
  private cache?: KeyCache;
  private loading?: Promise<KeyCache>;
  private lastUnknownKidReload = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: KeysRepository,
    private readonly audit: AuditTrail,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(MASTER_KEY) private readonly masterKey: Buffer,
    private readonly database: DatabaseService,
  ) {}

  onApplicationBootstrap(): void {
    this.database
      .whenReady()
      .then(() => this.start())
      .catch((error: unknown) => this.logger.error({ error: (error as Error).message }, 'keys not started'));
  }

  /** Makes sure a current key exists, then checks every hour whether rotation is due. */
  async start(): Promise<void> {
    await this.rotateIfDue();
    await this.reload();
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.rotateIfDue()
        .then(() => this.reload())
        .catch((error: unknown) => this.logger.error({ error: (error as Error).message }, 'rotation failed'));
    }, 3_600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Rotates when the newest key is older than AUTH_KEY_ROTATION_DAYS; safe from every instance at once. */
  async rotateIfDue(now = new Date()): Promise<boolean> {
    const dueBefore = now.getTime() - this.config.AUTH_KEY_ROTATION_DAYS * 86_400_000;
    return this.repository.withRotationLock(async () => {
      const newest = await this.repository.newest();
      if (newest && newest.createdAt.getTime() > dueBefore) return false;
      await this.createKey(newest);
      return true;
    });
  }

  /** Rotates now, whatever the schedule says. */
  async rotate(): Promise<void> {
    await this.repository.withRotationLock(async () => this.createKey(await this.repository.newest()));
    await this.reload();
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.current()).jwks };
  }

  async sign(input: SignInput): Promise<{ token: string; jti: string }> {
    const { active } = await this.current();
    const jti = randomUUID();
    const issuedAt = Math.floor((input.issuedAt?.getTime() ?? Date.now()) / 1000);
    const token = await new SignJWT({ ...input.claims } as JWTPayload)
      .setProtectedHeader({ alg: ALG, kid: active.kid, typ: 'JWT' })
      .setSubject(input.subject)
      .setIssuer(this.config.AUTH_JWT_ISSUER)
      .setAudience(input.audience ?? this.config.AUTH_JWT_AUDIENCE)
      .setJti(jti)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + input.ttlSeconds)
      .sign(active.privateKey);
    return { token, jti };
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; answers token_expired or token_invalid. */
  async verify(token: string, audience = this.config.AUTH_JWT_AUDIENCE): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, (header) => this.verifierFor(header), {
        algorithms: [ALG],
        issuer: this.config.AUTH_JWT_ISSUER,
        audience,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new AuthError(KeysErrorCode.TokenExpired, 'the token has expired');
      }
      throw new AuthError(KeysErrorCode.TokenInvalid, 'the token is not valid');
    }
  }

  /** An access token: verified, and carrying the claims every access token has. */
  async verifyAccess(token: string): Promise<AccessClaims> {
    const payload = await this.verify(token);
    const { tenant, role, sid } = payload as Record<string, unknown>;
    if (typeof tenant !== 'string' || typeof role !== 'string' || typeof sid !== 'string') {
      throw new AuthError(KeysErrorCode.TokenInvalid, 'the token is not valid');
    }
    return payload as AccessClaims;
  }

  private async verifierFor(header: JWTHeaderParameters): Promise<CryptoKey> {
    if (header.alg !== ALG || !header.kid) throw new Error('unexpected algorithm or missing kid');
    let cache = await this.current();
    let key = cache.verifiers.get(header.kid);
    if (!key && Date.now() - this.lastUnknownKidReload > UNKNOWN_KID_RELOAD_MS) {
      // Another instance may have rotated a moment ago.
      this.lastUnknownKidReload = Date.now();
      cache = await this.reload();
      key = cache.verifiers.get(header.kid);
    }
    if (!key) throw new Error('unknown signing key');
    return key;
  }

  private async current(): Promise<KeyCache> {
    if (this.cache && Date.now() - this.cache.loadedAt < CACHE_MS) return this.cache;
    return this.reload();
  }

  private reload(): Promise<KeyCache> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<KeyCache> {
    const cutoff = new Date(
      Date.now() - this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS * 1000 - PUBLISH_MARGIN_MS,
    );
    let rows = await this.repository.published(cutoff);
    if (!rows.some((row) => row.retiredAt === null)) {
      await this.rotateIfDue();
      rows = await this.repository.published(cutoff);
    }
    const newest = rows.find((row) => row.retiredAt === null)!;
    const verifiers = new Map<string, CryptoKey>();
    for (const row of rows) verifiers.set(row.kid, (await importJWK(row.publicJwk as JWK, ALG)) as CryptoKey);
    const active =
      this.cache?.active.kid === newest.kid
        ? this.cache.active
        : { kid: newest.kid, privateKey: await this.unseal(newest) };
    this.cache = {
      active,
      verifiers,
      jwks: rows.map((row) => row.publicJwk as unknown as PublicJwk),
      loadedAt: Date.now(),
    };
    return this.cache;
  }

  private async unseal(row: SigningKeyRow): Promise<CryptoKey> {
    const jwk = JSON.parse(decryptSecret(row.sealedPrivateKey, this.masterKey, row.kid)) as JWK;
    return (await importJWK(jwk, ALG)) as CryptoKey;
  }

  private async createKey(previous: SigningKeyRow | undefined): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const sealedPrivateKey = encryptSecret(JSON.stringify(await exportJWK(privateKey)), this.masterKey, kid);
    await this.repository.replaceActive({
      kid,
      publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
      sealedPrivateKey,
    });
    this.logger.log({ kid, previous: previous?.kid }, 'signing key created');
    await this.audit.record({
      tenantId: PLATFORM_AUDIT_TENANT,
      actor: { type: 'system', id: 'auth' },
      action: 'signing_key.rotated',
      target: { type: 'signing_key', id: kid },
      data: { previousKid: previous?.kid ?? null },
    });
  }
}
