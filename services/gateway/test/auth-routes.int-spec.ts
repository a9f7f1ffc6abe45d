import { createHmac } from 'node:crypto';

import { expectEventually } from '@optralis/testing';

import { type Answer, PASSWORD, type Platform, signIn, startPlatform } from './gateway-test-app';

type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  errors?: { in: string; path: string; message: string }[];
  tenants?: { id: string }[];
};

/** RFC 6238 (SHA-1, 6 digits, 30 s) for the base32 secret auth hands out, `steps` away from now. */
function totp(secret: string, steps = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.replace(/=+$/, '')]
    .map((char) => alphabet.indexOf(char).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + steps));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const IDP_CERT = `-----BEGIN CERTIFICATE-----\n${'MIIBszCCAVmgAwIBAgIUQ'.repeat(4)}\n-----END CERTIFICATE-----`;

function expectProblem(answer: Answer<unknown>, status: number, code?: string): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  const problem = answer.body as Problem;
  expect(problem).toMatchObject({
    status,
    type: expect.stringMatching(/^https:\/\/optralis\.dev\/problems\//),
  });
  if (code) expect(problem.code).toBe(code);
  return problem;
}

describe('Gateway authentication and identity routes (real auth service)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('should answer the signed-in user on /me when logged in with email and password', async () => {
    const tenant = await platform.tenant();
    const login = await platform.gateway.call<{ accessToken: string; tokenType: string }>(
      'POST',
      '/api/v1/auth/login',
      { body: { email: tenant.owner.email, password: PASSWORD } },
    );
    expect(login.status).toBe(200);
    expect(login.body.tokenType).toBe('Bearer');
    expect(login.headers.get('set-cookie')).toMatch(
      /^optralis_refresh=.+; Path=\/api\/v1\/auth; .*HttpOnly; SameSite=Lax$/,
    );

    const me = await platform.gateway.call('GET', '/api/v1/me', { token: login.body.accessToken });

    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({
      credential: 'session',
      tenantId: tenant.id,
      role: 'owner',
      user: { email: tenant.owner.email, role: 'owner' },
    });
  });

  it('should create an API token with 201, let it act in its tenant, and refuse it once revoked', async () => {
    const tenant = await platform.tenant();
    const created = await platform.gateway.call<{ id: string; token: string; role: string }>(
      'POST',
      '/api/v1/api-tokens',
      { token: tenant.owner.accessToken, body: { name: 'ci', role: 'admin', expiresAt: null } },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.token).toMatch(/^opt_api_/);

    const me = await platform.gateway.call('GET', '/api/v1/me', { token: created.body.token });
    expect(me.body).toMatchObject({ credential: 'api_token', tenantId: tenant.id, role: 'admin' });
    const users = await platform.gateway.call<{ items: unknown[] }>('GET', '/api/v1/users', {
      token: created.body.token,
    });
    expect(users.status, users.text).toBe(200);
    expect(users.body.items).toHaveLength(1);

    const revoked = await platform.gateway.call('DELETE', `/api/v1/api-tokens/${created.body.id}`, {
      token: tenant.owner.accessToken,
    });
    expect(revoked.status, revoked.text).toBe(200);
    await expectEventually(async () =>
      expectProblem(await platform.gateway.call('GET', '/api/v1/me', { token: created.body.token }), 401),
    );
  });

  it('should answer 401 problems when the token is missing, garbage, forged or expired', async () => {
    const tenant = await platform.tenant();
    const missing = await platform.gateway.call('GET', '/api/v1/me');
    expectProblem(missing, 401, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/me', { token: 'garbage' }),
      401,
      'token_invalid',
    );
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      401,
    );
    const [header, payload] = tenant.owner.accessToken.split('.');
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/me', { token: `${header}.${payload}.Zm9yZ2Vk` }),
      401,
      'token_invalid',
    );
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/me', { token: `opt_api_abcd1234_${'0'.repeat(48)}` }),
      401,
      'token_invalid',
    );

    platform.gateway.clock.offsetMs = 20 * 60_000;
    try {
      const expired = await platform.gateway.call('GET', '/api/v1/me', { token: tenant.owner.accessToken });
      expect(expectProblem(expired, 401, 'token_expired').title).toBe('Token expired');
    } finally {
      platform.gateway.clock.offsetMs = 0;
    }
    expect(
      (await platform.gateway.call('GET', '/api/v1/me', { token: tenant.owner.accessToken })).status,
    ).toBe(200);
  });

  it('should refuse writes with 403 when the caller is an observer', async () => {
    const tenant = await platform.tenant();
    const observer = await tenant.user('observer');

    const me = await platform.gateway.call('GET', '/api/v1/me', { token: observer.accessToken });
    expect(me.body).toMatchObject({ role: 'observer' });
    const token = await platform.gateway.call('POST', '/api/v1/api-tokens', {
      token: observer.accessToken,
      body: { name: 'sneaky', role: 'observer', expiresAt: null },
    });
    expect(expectProblem(token, 403, 'forbidden').detail).toContain('admin');
    expectProblem(
      await platform.gateway.call('PATCH', '/api/v1/hosts/web-01', {
        token: observer.accessToken,
        body: { description: 'mine now' },
      }),
      403,
    );
  });

  it('should answer 400 naming the field when a body is malformed, has unknown fields or the wrong types', async () => {
    const malformed = await platform.gateway.call('POST', '/api/v1/auth/login', {
      raw: '{"email": "a@b.c", "password":',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400);

    const unknown = await platform.gateway.call('POST', '/api/v1/auth/login', {
      body: { email: 'a@example.com', password: 'x', tenantSlug: 'other' },
    });
    const problem = expectProblem(unknown, 400, 'invalid_request');
    expect(problem.errors).toEqual([
      expect.objectContaining({ in: 'body', message: expect.stringContaining('tenantSlug') }),
    ]);

    const wrongType = await platform.gateway.call('POST', '/api/v1/auth/login', { body: { email: 42 } });
    expect(expectProblem(wrongType, 400).errors?.map((issue) => issue.path)).toEqual(['email', 'password']);

    const text = await platform.gateway.call('POST', '/api/v1/auth/login', {
      raw: 'email=a',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(text, 415);
  });

  it('should answer 413 without reading on when the body is over the limit', async () => {
    const huge = await platform.gateway.call('POST', '/api/v1/auth/login', {
      raw: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(expectProblem(huge, 413, 'payload_too_large').detail).toContain('1048576');
  });

  it('should answer 400 or 404, never another resource, when an id tries to climb out of its path', async () => {
    const tenant = await platform.tenant();
    const token = tenant.owner.accessToken;
    expectProblem(await platform.gateway.call('GET', '/api/v1/users/..%2F..%2Fetc%2Fpasswd', { token }), 400);
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/hosts/..%2F..%2Fapi%2Fv1%2Fusers', { token }),
      400,
    );
    expectProblem(await platform.gateway.call('GET', '/api/v1/hosts/../../etc/passwd', { token }), 404);
    expectProblem(await platform.gateway.call('GET', '/api/v1/users/%2e%2e', { token }), 400);
  });

  it('should renew the session from the httpOnly cookie alone and end it on logout', async () => {
    const tenant = await platform.tenant();
    const login = await platform.gateway.call('POST', '/api/v1/auth/login', {
      body: { email: tenant.owner.email, password: PASSWORD },
    });
    const cookie = login.headers.get('set-cookie')!.split(';', 1)[0];

    const refreshed = await platform.gateway.call<{ accessToken: string }>('POST', '/api/v1/auth/refresh', {
      headers: { cookie },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    const rotated = refreshed.headers.get('set-cookie')!.split(';', 1)[0];
    expect(rotated).not.toBe(cookie);
    expectProblem(await platform.gateway.call('POST', '/api/v1/auth/refresh', { headers: { cookie } }), 401);

    const logout = await platform.gateway.call('POST', '/api/v1/auth/logout', {
      headers: { cookie: rotated },
    });
    expect(logout.status, logout.text).toBe(200);
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expectProblem(
      await platform.gateway.call('POST', '/api/v1/auth/refresh', { headers: { cookie: rotated } }),
      401,
    );
  });

  it('should make a user of two tenants choose one, then switch to the other', async () => {
    const first = await platform.tenant();
    const second = await platform.tenant();
    const joined = await platform.gateway.call('POST', '/api/v1/users', {
      token: second.owner.accessToken,
      body: { email: first.owner.email, role: 'editor' },
    });
    expect(joined.status, joined.text).toBe(201);

    const ambiguous = await platform.gateway.call('POST', '/api/v1/auth/login', {
      body: { email: first.owner.email, password: PASSWORD },
    });
    const problem = expectProblem(ambiguous, 409, 'tenant_selection_required');
    expect(problem.tenants?.map((tenant) => tenant.id).sort()).toEqual([first.id, second.id].sort());

    const session = await platform.gateway.call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      body: { email: first.owner.email, password: PASSWORD, tenantId: first.id },
    });
    const switched = await platform.gateway.call<{ accessToken: string; tenant: { id: string } }>(
      'POST',
      '/api/v1/auth/switch-tenant',
      { token: session.body.accessToken, body: { tenantId: second.id } },
    );
    expect(switched.status, switched.text).toBe(200);
    expect(switched.body.tenant.id).toBe(second.id);
    const me = await platform.gateway.call('GET', '/api/v1/me', { token: switched.body.accessToken });
    expect(me.body).toMatchObject({ tenantId: second.id, role: 'editor' });
  });

  it('should map auth’s own refusals to problems and keep the tenant from the token, not the body', async () => {
    const tenant = await platform.tenant();
    const wrong = await platform.gateway.call('POST', '/api/v1/auth/login', {
      body: { email: tenant.owner.email, password: 'Not-The-Password-99' },
    });
    expect(expectProblem(wrong, 401, 'invalid_credentials').title).toBe('Invalid credentials');
    const smuggled = await platform.gateway.call('POST', '/api/v1/ingest-tokens', {
      token: tenant.owner.accessToken,
      body: { name: 'agent', tenantId: 'someone-else' },
    });
    expectProblem(smuggled, 400);
    const missingUser = await platform.gateway.call(
      'GET',
      '/api/v1/users/7b0f6f1e-2c8b-4b9a-9d61-0c4e2a1d3f55',
      {
        token: tenant.owner.accessToken,
      },
    );
    expectProblem(missingUser, 404, 'not_found');
  });

  it('should set the security headers on answers, errors and the docs, with a CSP that lets Swagger UI run', async () => {
    const tenant = await platform.tenant();
    const me = await platform.gateway.call('GET', '/api/v1/me', { token: tenant.owner.accessToken });
    const missing = await platform.gateway.call('GET', '/api/v1/nothing-here');
    expectProblem(missing, 404, 'not_found');
    for (const answer of [me, missing]) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    const docs = await platform.gateway.call('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(docs.headers.get('strict-transport-security')).toBeNull();
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js']) {
      const served = await platform.gateway.call('GET', `/api/docs/${asset}`);
      expect(served.status, asset).toBe(200);
      expect(docs.text).toContain(asset);
    }
  });

  it('should answer 429 with Retry-After per IP on sign-in routes and per token elsewhere', async () => {
    const limited = await platform.startGateway({
      GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '3',
      GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND: '2',
    });
    const tenant = await platform.tenant();
    const owner = await signIn(limited, tenant.owner.email);
    const attempts = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      attempts.push(
        await limited.call('POST', '/api/v1/auth/login', { body: { email: 'x@example.com', password: 'x' } }),
      );
    }
    const refused = attempts.at(-1)!;
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await limited.call('GET', '/api/v1/me', { token: owner.accessToken })).status);
    }
    expect(statuses).toContain(429);
    expect((await platform.gateway.call('GET', '/api/v1/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('should sign in with a TOTP code once the user enrolled MFA through /me', async () => {
    const tenant = await platform.tenant();
    const user = await tenant.user('editor');
    const enrolled = await platform.gateway.call<{ secret: string; otpauthUri: string }>(
      'POST',
      '/api/v1/me/mfa/enroll',
      {
        token: user.accessToken,
      },
    );
    expect(enrolled.status, enrolled.text).toBe(200);
    expect(enrolled.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const confirmed = await platform.gateway.call<{ recoveryCodes: string[] }>(
      'POST',
      '/api/v1/me/mfa/confirm',
      {
        token: user.accessToken,
        body: { code: totp(enrolled.body.secret, -1) },
      },
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);

    const login = await platform.gateway.call<{ mfaRequired: boolean; mfaToken: string }>(
      'POST',
      '/api/v1/auth/login',
      {
        body: { email: user.email, password: PASSWORD },
      },
    );
    expect(login.body).toMatchObject({ mfaRequired: true });
    expect(login.headers.get('set-cookie')).toBeNull();
    expectProblem(
      await platform.gateway.call('POST', '/api/v1/auth/mfa', {
        body: { mfaToken: login.body.mfaToken, code: 'abcdef' },
      }),
      400,
    );
    const verified = await platform.gateway.call<{ accessToken: string }>('POST', '/api/v1/auth/mfa', {
      body: { mfaToken: login.body.mfaToken, code: totp(enrolled.body.secret) },
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.headers.get('set-cookie')).toContain('optralis_refresh=');
    const me = await platform.gateway.call('GET', '/api/v1/me', { token: verified.body.accessToken });
    expect(me.body).toMatchObject({ user: { email: user.email, mfaEnabled: true } });
  });

  it('should serve SAML metadata, redirect to the identity provider and refuse a forged assertion', async () => {
    const tenant = await platform.tenant();
    const created = await platform.gateway.call<{ id: string; callbackUrl: string }>(
      'POST',
      '/api/v1/sso-providers',
      {
        token: tenant.owner.accessToken,
        body: {
          name: 'adfs',
          type: 'saml',
          config: { entryPoint: 'https://idp.example.com/sso', idpCert: IDP_CERT },
        },
      },
    );
    expect(created.status, created.text).toBe(201);
    const base = `/api/v1/auth/saml/${created.body.id}`;
    expect(created.body.callbackUrl).toMatch(new RegExp(`${base}/acs$`));

    const metadata = await platform.gateway.call('GET', `${base}/metadata`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
    expect(metadata.text).toContain('EntityDescriptor');
    const login = await platform.gateway.call('GET', `${base}/login?relayState=%2Fhosts`);
    expect(login.status, login.text).toBe(302);
    expect(login.headers.get('location')).toMatch(/^https:\/\/idp\.example\.com\/sso\?SAMLRequest=/);

    const forged = await platform.gateway.call('POST', `${base}/acs`, {
      raw: `SAMLResponse=${encodeURIComponent(Buffer.from('<samlp:Response/>').toString('base64'))}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    // A browser is on this leg: the refusal goes back to the console, named, without a cookie.
    expect(forged.status, forged.text).toBe(302);
    const landing = new URL(forged.headers.get('location')!);
    expect(landing.origin + landing.pathname).toBe('http://localhost:8080/');
    expect(landing.searchParams.get('sso_error')).toBe('sso.state_invalid');
    expect(landing.searchParams.get('sso_error_description')).toBeTruthy();
    expect(forged.headers.get('set-cookie')).toBeNull();
    expectProblem(
      await platform.gateway.call('GET', '/api/v1/auth/oidc/7b0f6f1e-2c8b-4b9a-9d61-0c4e2a1d3f55/login'),
      404,
    );
    const oidcCallback = '/api/v1/auth/oidc/7b0f6f1e-2c8b-4b9a-9d61-0c4e2a1d3f55/callback';
    for (const [query, code] of [
      ['?error=access_denied&state=s', 'provider_refused'],
      // An unknown provider: auth's own code (not_found) travels to the console.
      ['?code=c&state=unknown', 'not_found'],
    ] as const) {
      const back = await platform.gateway.call('GET', `${oidcCallback}${query}`);
      expect(back.status, back.text).toBe(302);
      const error = new URL(back.headers.get('location')!).searchParams.get('sso_error');
      expect(error).toBe(code);
      expect(back.headers.get('set-cookie')).toBeNull();
    }
    expectProblem(await platform.gateway.call('GET', '/api/v1/auth/saml/not-a-uuid/metadata'), 400);
  });

  it('should answer CORS preflights for configured origins only, and mark cookies Secure behind an https proxy', async () => {
    const proxied = await platform.startGateway({
      GATEWAY_CORS_ORIGINS: 'https://console.example.com',
      GATEWAY_TRUST_PROXY: 'true',
    });
    const preflight = (origin: string) =>
      proxied.call('OPTIONS', '/api/v1/me', {
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });

    const allowed = await preflight('https://console.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(
      (await preflight('https://evil.example.com')).headers.get('access-control-allow-origin'),
    ).toBeNull();

    const tenant = await platform.tenant();
    const login = await proxied.call('POST', '/api/v1/auth/login', {
      body: { email: tenant.owner.email, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(login.headers.get('set-cookie')).toMatch(/; Secure$/);
    expect(login.headers.get('strict-transport-security')).toContain('max-age=');
  });
});
