import { randomUUID } from 'node:crypto';

import { loadConfig } from '@optralis/config';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

import { GatewayEnv } from '../config';
import type { Downstream } from '../downstream/downstream.service';
import type { Clock } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import { AccessTokenVerifier, UNKNOWN_KID_REFRESH_MS } from './access-token.verifier';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

async function signingKey(kid: string) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' } as JWK;
  return { pair, jwk };
}

function claims() {
  return { tenant: randomUUID(), role: 'editor', sid: randomUUID() };
}

async function token(pair: KeyPair, kid: string, options: { expiresIn?: string; audience?: string } = {}) {
  return new SignJWT(claims())
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(randomUUID())
    .setIssuer('optralis-auth')
    .setAudience(options.audience ?? 'optralis')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '15m')
    .sign(pair.privateKey);
}

async function failure(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProblemError)) throw new Error(`expected a ProblemError, got ${String(error)}`);
  return error;
}

describe(AccessTokenVerifier.name, () => {
  const config = loadConfig(GatewayEnv, {});

  function setup(keys: () => JWK[]) {
    const call = vi.fn(async (subject: string) => {
      if (subject !== 'rpc.auth.jwks') throw new Error(`unexpected call ${subject}`);
      return { keys: keys() };
    });
    const clock: Clock = { now: () => new Date() };
    const sut = new AccessTokenVerifier({ call } as unknown as Downstream, config, clock);
    return { sut, call, clock };
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should answer the actor of the token when it is signed by a published key', async () => {
    const key = await signingKey('k1');
    const { sut, call } = setup(() => [key.jwk]);

    const actor = await sut.verify(await token(key.pair, 'k1'));

    expect(actor).toMatchObject({ credential: 'session', role: 'editor' });
    expect(actor.sessionId).toBeDefined();
    await sut.verify(await token(key.pair, 'k1'));
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('should refuse with token_expired when the token is past its expiry', async () => {
    const key = await signingKey('k1');
    const { sut } = setup(() => [key.jwk]);

    const error = await failure(sut.verify(await token(key.pair, 'k1', { expiresIn: '-1m' })));

    expect(error.problem).toMatchObject({ status: 401, code: 'token_expired' });
  });

  it('should refuse with token_invalid when the audience, the signature or the algorithm is wrong', async () => {
    const key = await signingKey('k1');
    const stranger = await signingKey('k1');
    const { sut } = setup(() => [key.jwk]);
    const unsigned = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;

    for (const candidate of [
      await token(key.pair, 'k1', { audience: 'optralis:mfa' }),
      await token(stranger.pair, 'k1'),
      unsigned,
    ]) {
      expect((await failure(sut.verify(candidate))).problem).toMatchObject({
        status: 401,
        code: 'token_invalid',
      });
    }
  });

  it('should fetch the keys again once, not per request, when tokens name an unknown kid', async () => {
    const first = await signingKey('k1');
    const rotated = await signingKey('k2');
    let published = [first.jwk];
    const { sut, call } = setup(() => published);
    await sut.verify(await token(first.pair, 'k1'));

    published = [first.jwk, rotated.jwk];
    await expect(sut.verify(await token(rotated.pair, 'k2'))).resolves.toMatchObject({ role: 'editor' });
    expect(call).toHaveBeenCalledTimes(2);

    const forged = await signingKey('k3');
    for (let attempt = 0; attempt < 3; attempt++) await failure(sut.verify(await token(forged.pair, 'k3')));
    expect(call).toHaveBeenCalledTimes(2);
    expect(UNKNOWN_KID_REFRESH_MS).toBeGreaterThanOrEqual(1000);
  });

  it('should pass the problem of auth on when no key was ever fetched and auth does not answer', async () => {
    const outage = new ProblemError({
      status: 504,
      title: 'auth did not answer',
      code: 'timeout',
      detail: 'x',
    });
    const sut = new AccessTokenVerifier(
      { call: vi.fn().mockRejectedValue(outage) } as unknown as Downstream,
      config,
      { now: () => new Date() },
    );
    const key = await signingKey('k1');

    await expect(sut.verify(await token(key.pair, 'k1'))).rejects.toBe(outage);
  });
});
