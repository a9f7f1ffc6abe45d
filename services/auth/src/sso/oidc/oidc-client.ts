import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';

import { AUTH_CONFIG, type AuthConfig } from '../../shared/auth-config';
import { AuthError } from '../../shared/auth-error';
import type { SsoProviderRecord } from '../providers/sso-providers.repository';
import { insecureLoopbackAllowed } from '../providers/sso-urls';
import { SsoErrorCode } from '../sso.errors';

const DISCOVERY_TTL_MS = 10 * 60_000;
const HTTP_TIMEOUT_SECONDS = 10;

interface Cached {
  version: number;
  expiresAt: number;
  configuration: Promise<client.Configuration>;
}

/** openid-client configurations from discovery, cached per provider until it changes. */
@Injectable()
export class OidcClients {
  private readonly cache = new Map<string, Cached>();

  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {}

  configuration(
    provider: SsoProviderRecord,
    input: { issuer: string; clientId: string; clientSecret: string },
  ): Promise<client.Configuration> {
    const version = provider.updatedAt.getTime();
    const cached = this.cache.get(provider.id);
    if (cached && cached.version === version && cached.expiresAt > Date.now()) return cached.configuration;
    const configuration = this.discover(input);
    this.cache.set(provider.id, { version, expiresAt: Date.now() + DISCOVERY_TTL_MS, configuration });
    // A failed discovery must not stay cached.
    configuration.catch(() => this.cache.delete(provider.id));
    return configuration;
  }

  private async discover(input: { issuer: string; clientId: string; clientSecret: string }) {
    const insecure = new URL(input.issuer).protocol === 'http:';
    if (!insecureLoopbackAllowed(input.issuer, this.config.AUTH_SSO_ALLOW_INSECURE_LOOPBACK)) {
      throw new AuthError(SsoErrorCode.ProviderUnavailable, 'the issuer must use https');
    }
    try {
      return await client.discovery(
        new URL(input.issuer),
        input.clientId,
        undefined,
        client.ClientSecretBasic(input.clientSecret),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: HTTP_TIMEOUT_SECONDS },
      );
    } catch (error) {
      throw new AuthError(
        SsoErrorCode.ProviderUnavailable,
        `OIDC discovery failed: ${(error as Error).message}`,
      );
    }
  }
}

/** Maps openid-client failures of the code exchange to SSO error codes. */
export function codeExchangeError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const message = (error as Error).message ?? 'unknown error';
  if (error instanceof client.AuthorizationResponseError) {
    return new AuthError(SsoErrorCode.IdpError, `the IdP refused: ${error.error}`);
  }
  if (error instanceof client.ResponseBodyError) {
    return new AuthError(SsoErrorCode.TokenRejected, `the token endpoint refused the code: ${error.error}`);
  }
  if (isNetworkError(error)) {
    return new AuthError(SsoErrorCode.ProviderUnavailable, `the IdP could not be reached: ${message}`);
  }
  return new AuthError(SsoErrorCode.AssertionInvalid, `the IdP's answer is not valid: ${message}`);
}

function isNetworkError(error: unknown): boolean {
  for (let current = error as Error | undefined, depth = 0; current && depth < 3; depth++) {
    if (current.name === 'AbortError' || current.name === 'TimeoutError') return true;
    if (current instanceof TypeError && /fetch failed/.test(current.message)) return true;
    current = (current as { cause?: Error }).cause;
  }
  return false;
}
