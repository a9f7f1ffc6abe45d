import { Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { GatewayConfig } from '../config';
import { Downstream } from '../downstream/downstream.service';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import { type BodyOf, type ParamsOf, Route } from '../openapi/route-definition';
import { RouteBody, RouteParams, RouteQuery } from '../openapi/route-input.decorators';
import { RefreshCookie } from './refresh-cookie';
import {
  oidcCallbackRoute,
  oidcLoginRoute,
  SAML_METADATA_TYPE,
  samlAcsRoute,
  samlLoginRoute,
  samlMetadataRoute,
} from './sso.routes';

type ProviderParams = ParamsOf<typeof oidcLoginRoute>;

/** Browser legs of OIDC and SAML; auth does the protocol work, the gateway redirects and sets the cookie. */
@ApiTags('Single sign-on')
@Controller('api/v1/auth')
export class SsoController {
  private readonly logger = new Logger(SsoController.name);
  private readonly publicUrl: string;
  private readonly consoleUrl: URL;

  constructor(
    private readonly downstream: Downstream,
    private readonly cookie: RefreshCookie,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.publicUrl = config.GATEWAY_PUBLIC_URL.replace(/\/+$/, '');
    this.consoleUrl = new URL(config.GATEWAY_CONSOLE_URL ?? `${this.publicUrl}/`);
  }

  @Route(oidcLoginRoute)
  async startOidc(
    @RouteParams() { providerId }: ProviderParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const redirectUri = `${this.publicUrl}/api/v1/auth/oidc/${providerId}/callback`;
    const { authorizationUrl } = await this.downstream.call('rpc.auth.oidc.begin', {
      providerId,
      redirectUri,
    });
    reply.header('Location', authorizationUrl);
  }

  @Route(oidcCallbackRoute)
  async finishOidc(
    @RouteParams() { providerId }: ProviderParams,
    @RouteQuery() query: { error?: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (query.error !== undefined) {
      // The provider refused (the user cancelled, consent denied): nothing for auth to complete.
      reply.header('Location', this.failureLanding('provider_refused', query.error).href);
      return;
    }
    // auth checks the callback against the redirect URI it stored, so it gets the public URL, never the Host header.
    const callbackUrl = `${this.publicUrl}${request.url}`;
    try {
      const pair = await this.downstream.call('rpc.auth.oidc.complete', { providerId, callbackUrl });
      this.cookie.set(request, reply, pair.refreshToken);
      reply.header('Location', this.consoleUrl.href);
    } catch (error) {
      reply.header('Location', this.failedSignIn(providerId, error).href);
    }
  }

  @Route(samlMetadataRoute)
  async samlMetadata(
    @RouteParams() { providerId }: ProviderParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { xml } = await this.downstream.call('rpc.auth.saml.metadata', { providerId });
    reply.type(SAML_METADATA_TYPE);
    return xml;
  }

  @Route(samlLoginRoute)
  async startSaml(
    @RouteParams() { providerId }: ProviderParams,
    @RouteQuery() { relayState }: { relayState?: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { redirectUrl } = await this.downstream.call('rpc.auth.saml.begin', { providerId, relayState });
    reply.header('Location', redirectUrl);
  }

  @Route(samlAcsRoute)
  async finishSaml(
    @RouteParams() { providerId }: ProviderParams,
    @RouteBody() body: BodyOf<typeof samlAcsRoute>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    try {
      const answer = await this.downstream.call('rpc.auth.saml.acs', {
        providerId,
        samlResponse: body.SAMLResponse,
        relayState: body.RelayState,
      });
      this.cookie.set(request, reply, answer.refreshToken);
      reply.header('Location', this.landing(answer.relayState).href);
    } catch (error) {
      reply.header('Location', this.failedSignIn(providerId, error).href);
    }
  }

  /**
   * A person's browser, not a program, is on the callback legs: a refused or failed sign-in goes back to the
   * console with `sso_error` (the problem's code) and `sso_error_description`, like OAuth's error redirect.
   */
  private failedSignIn(providerId: string, error: unknown): URL {
    if (!(error instanceof ProblemError)) throw error;
    const { code = 'sign_in_failed', title, detail, status } = error.problem;
    this.logger.warn({ providerId, code, status, detail }, 'single sign-on failed');
    return this.failureLanding(code, status >= 500 ? `${title}; try again` : title);
  }

  private failureLanding(code: string, description: string): URL {
    const target = new URL(this.consoleUrl.href);
    target.searchParams.set('sso_error', code.slice(0, 64));
    target.searchParams.set('sso_error_description', description.slice(0, 200));
    return target;
  }

  /** A relay state only ever names a path of the console, so a forged one cannot send users elsewhere. */
  private landing(relayState: string | undefined): URL {
    if (!relayState?.startsWith('/') || relayState.startsWith('//') || relayState.includes('\\')) {
      return this.consoleUrl;
    }
    const target = new URL(relayState, this.consoleUrl);
    return target.origin === this.consoleUrl.origin ? target : this.consoleUrl;
  }
}
