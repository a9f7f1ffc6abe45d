import { getJson } from '@optralis/testing';

import { type Platform, ROOT, startPlatform } from './gateway-test-app';

describe('Gateway when a service does not answer', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ ingest: false });
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('should answer 504 naming ingest when ingest is not running, and keep serving everything else', async () => {
    const tenant = await platform.tenant();
    const token = tenant.owner.accessToken;

    const hosts = await platform.gateway.call('GET', '/api/v1/hosts', { token });

    expect(hosts.status, hosts.text).toBe(504);
    expect(hosts.headers.get('content-type')).toContain('application/problem+json');
    expect(hosts.headers.get('retry-after')).toBe('5');
    expect(hosts.body).toMatchObject({ title: 'ingest did not answer', code: 'unavailable', status: 504 });
    expect((await getJson(`${platform.gateway.url}/health`)).status).toBe(200);
    expect((await platform.gateway.call('GET', '/api/v1/me', { token })).status).toBe(200);
    const metrics = await getJson(`${platform.gateway.url}/metrics`);
    expect(metrics.text).toMatch(
      /gateway_downstream_duration_seconds_count\{service="ingest",method="hosts.list",outcome="unavailable"[^}]*\} 1/,
    );
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/hosts"[^}]*status_code="504"/,
    );
  });

  it('should answer 504 naming auth once auth stops, and still verify access tokens with the keys it holds', async () => {
    const tenant = await platform.tenant();
    const observer = await tenant.user('observer');
    await platform.auth.stop();

    const login = await platform.gateway.call('POST', '/api/v1/auth/login', { body: ROOT });
    expect(login.status, login.text).toBe(504);
    expect(login.body).toMatchObject({ title: 'auth did not answer' });
    const jwks = await platform.gateway.call<{ keys: unknown[] }>('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    const forbidden = await platform.gateway.call('GET', '/api/v1/users', { token: observer.accessToken });
    expect(forbidden.status, forbidden.text).toBe(403);
    const unverified = await platform.gateway.call('GET', '/api/v1/users', { token: 'not.a.token' });
    expect(unverified.status).toBe(401);
    expect((await getJson(`${platform.gateway.url}/health`)).status).toBe(200);
  });
});
