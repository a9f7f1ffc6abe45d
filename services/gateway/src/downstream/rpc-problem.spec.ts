import { ALERTING_ERROR_CODES, AUTH_ERROR_CODES, INGEST_ERROR_CODES } from '@optralis/contracts';
import { RpcError } from '@optralis/nats';

import { SERVICE_ERROR_STATUSES } from './error-statuses';
import { problemOfRpcError } from './rpc-problem';

describe(problemOfRpcError.name, () => {
  it('should answer 504 naming the service with Retry-After when it times out or nobody answers', () => {
    for (const code of ['timeout', 'unavailable'] as const) {
      const { problem, unexpected } = problemOfRpcError(
        'rpc.ingest.hosts.list',
        new RpcError(code, 'no instance answers rpc.ingest.hosts.list'),
      );
      expect(problem.problem).toMatchObject({ status: 504, title: 'ingest did not answer', code });
      expect(problem.problem.headers).toEqual({ 'Retry-After': '5' });
      expect(unexpected).toBe(false);
    }
  });

  it('should use the service table before the generic one when a service answers its own code', () => {
    const notFound = problemOfRpcError(
      'rpc.ingest.hosts.get',
      new RpcError('host.not_found', 'host h was not found'),
    );
    expect(notFound.problem.problem).toMatchObject({
      status: 404,
      title: 'Host not found',
      detail: 'host h was not found',
    });
    const forbidden = problemOfRpcError('rpc.auth.users.list', new RpcError('forbidden', 'needs admin'));
    expect(forbidden.problem.problem).toMatchObject({ status: 403, code: 'forbidden' });
    const credentials = problemOfRpcError(
      'rpc.auth.login',
      new RpcError('invalid_credentials' as 'x.y', 'wrong'),
    );
    expect(credentials.problem.problem.status).toBe(401);
  });

  it('should keep the tenants of tenant_selection_required and the issues of invalid_request, nothing else', () => {
    const selection = problemOfRpcError(
      'rpc.auth.login',
      new RpcError('tenant_selection_required' as 'x.y', 'choose', { tenants: [{ id: 't1' }], secret: 's' }),
    );
    expect(selection.problem.problem.extensions).toEqual({ tenants: [{ id: 't1' }] });
    const invalid = problemOfRpcError(
      'rpc.auth.users.create',
      new RpcError('invalid_request', 'bad', [{ path: ['email'], message: 'Invalid email' }]),
    );
    expect(invalid.problem.problem.errors).toEqual([{ in: 'body', path: 'email', message: 'Invalid email' }]);
  });

  it('should turn a service’s own { issues } (alerting’s rule problems) into the problem’s errors', () => {
    const { problem } = problemOfRpcError(
      'rpc.alerting.rules.create',
      new RpcError('invalid_request', 'critical: must be above warning', {
        issues: [
          { path: 'critical', message: 'must be above warning' },
          { path: ['scope', 'tags', 0], message: 'too long' },
        ],
      }),
    );
    expect(problem.problem).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(problem.problem.errors).toEqual([
      { in: 'body', path: 'critical', message: 'must be above warning' },
      { in: 'body', path: 'scope.tags.0', message: 'too long' },
    ]);
  });

  it('should answer 502 with the service errorId when the service failed internally', () => {
    const { problem, unexpected } = problemOfRpcError(
      'rpc.auth.users.list',
      new RpcError('internal', 'internal error', undefined, 'e-1'),
    );
    expect(problem.problem).toMatchObject({ status: 502, title: 'auth failed', errorId: 'e-1' });
    expect(unexpected).toBe(true);
  });

  it('should answer 500 with a fresh errorId when the code is in no table', () => {
    const { problem, unexpected } = problemOfRpcError(
      'rpc.ai.summary',
      new RpcError('ai.confused' as 'x.y', '?'),
    );
    expect(problem.problem).toMatchObject({ status: 500, code: 'internal' });
    expect(problem.problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(unexpected).toBe(true);
  });

  it('should map every code a service publishes when the contracts list them', () => {
    const published = [
      ...Object.values(AUTH_ERROR_CODES).map((code) => ['auth', code] as const),
      ...Object.values(INGEST_ERROR_CODES).map((code) => ['ingest', code] as const),
      ...Object.values(ALERTING_ERROR_CODES).map((code) => ['alerting', code] as const),
    ];
    for (const [service, code] of published)
      expect(SERVICE_ERROR_STATUSES[service][code], code).toBeDefined();
  });
});
