import { type ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@optralis/observability';

import { ProblemError } from '../http/problem';
import type { GatewayActor } from './actor';
import { AuthenticationGuard } from './authentication.guard';
import type { Authenticator } from './authenticator.service';
import { Public, RequireRole } from './security.decorators';

class Routes {
  @Public()
  open(): void {}

  @RequireRole('editor')
  edit(): void {}

  @RequireRole('observer', { credential: 'session' })
  mine(): void {}

  forgotten(): void {}
}

const apiToken: GatewayActor = { credential: 'api_token', userId: 't1', tenantId: 'a', role: 'admin' };
const observer: GatewayActor = {
  credential: 'session',
  userId: 'u1',
  tenantId: 'a',
  role: 'observer',
  sessionId: 's',
};

function context(handler: keyof Routes, authorization?: string, controller: unknown = Routes) {
  const request: { headers: Record<string, string | undefined>; actor?: GatewayActor; routeOptions: object } =
    {
      headers: { authorization },
      routeOptions: { url: `/${handler}` },
    };
  const reply = { raw: {} };
  const executionContext = {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { executionContext, request };
}

describe(AuthenticationGuard.name, () => {
  function setup(actor: GatewayActor | Error) {
    const authenticate = vi.fn(async () => {
      if (actor instanceof Error) throw actor;
      return actor;
    });
    const sut = new AuthenticationGuard(new Reflector(), { authenticate } as unknown as Authenticator);
    return { sut, authenticate };
  }

  async function refusal(promise: Promise<unknown>): Promise<ProblemError['problem']> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof ProblemError)) throw new Error(`expected a ProblemError, got ${String(error)}`);
    return error.problem;
  }

  it('should let a public route through without a token and read one when it is sent', async () => {
    const { sut, authenticate } = setup(observer);
    const anonymous = context('open');
    await expect(sut.canActivate(anonymous.executionContext)).resolves.toBe(true);
    expect(authenticate).not.toHaveBeenCalled();

    const signedIn = context('open', 'Bearer x.y.z');
    await sut.canActivate(signedIn.executionContext);
    expect(signedIn.request.actor).toBe(observer);
  });

  it('should refuse with 403 naming the role when the caller’s role is too low', async () => {
    const { sut } = setup(observer);

    const problem = await refusal(sut.canActivate(context('edit', 'Bearer x.y.z').executionContext));

    expect(problem).toMatchObject({ status: 403, code: 'forbidden' });
    expect(problem.detail).toContain('editor');
  });

  it('should refuse an API token on a route for signed-in users even when its role is high enough', async () => {
    const { sut } = setup(apiToken);

    expect(await refusal(sut.canActivate(context('mine', 'Bearer opt').executionContext))).toMatchObject({
      status: 403,
    });
  });

  it('should pass the authenticator’s 401 on when the token is refused', async () => {
    const { sut } = setup(ProblemError.unauthorized('no', 'token_invalid'));

    expect(await refusal(sut.canActivate(context('edit', 'Bearer bad').executionContext))).toMatchObject({
      status: 401,
      code: 'token_invalid',
    });
  });

  it('should answer 500 rather than open a route that declares no access rule', async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { sut, authenticate } = setup(observer);

    expect(
      await refusal(sut.canActivate(context('forgotten', 'Bearer x.y.z').executionContext)),
    ).toMatchObject({
      status: 500,
    });
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('should let the probes of libs/observability through without any metadata', async () => {
    const { sut } = setup(observer);

    await expect(
      sut.canActivate(context('forgotten', undefined, HealthController).executionContext),
    ).resolves.toBe(true);
  });
});
