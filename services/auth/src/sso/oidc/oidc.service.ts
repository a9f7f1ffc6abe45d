import { Injectable } from '@nestjs/common';
import { OidcProviderConfig } from '@optralis/contracts';
import * as client from 'openid-client';

import type { TokenPair } from '../../sessions/sessions.service';
import { AuthError, CommonErrorCode } from '../../shared/auth-error';
import { sha256 } from '../../shared/secrets';
import { PendingLoginsRepository } from '../providers/pending-logins.repository';
import type { SsoProviderRecord } from '../providers/sso-providers.repository';
import { SsoProvidersService } from '../providers/sso-providers.service';
import { SsoSecrets } from '../providers/sso-secrets';
import { SsoErrorCode } from '../sso.errors';
import { claimValues, SsoLoginService } from '../sso-login.service';
import { codeExchangeError, OidcClients } from './oidc-client';

/** How long a user may spend at the IdP between begin and callback. */
const PENDING_TTL_MS = 10 * 60_000;

interface PendingOidc {
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** Authorization code flow with PKCE (S256), state and nonce kept server-side and used once. */
@Injectable()
export class OidcService {
  constructor(
    private readonly providers: SsoProvidersService,
    private readonly pending: PendingLoginsRepository,
    private readonly secrets: SsoSecrets,
    private readonly clients: OidcClients,
    private readonly login: SsoLoginService,
  ) {}

  async begin(providerId: string, redirectUri: string): Promise<{ authorizationUrl: string; state: string }> {
    const { record, settings, configuration } = await this.provider(providerId);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const key = pendingKey(state);
    const data: PendingOidc = { nonce, codeVerifier, redirectUri };
    await this.pending.save(record.id, {
      key,
      data: this.secrets.seal(JSON.stringify(data), key),
      ttlMs: PENDING_TTL_MS,
    });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: settings.scopes.join(' '),
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, state };
  }

  async complete(providerId: string, callbackUrl: string): Promise<TokenPair> {
    const { record, settings, configuration } = await this.provider(providerId);
    try {
      const url = parseCallback(callbackUrl);
      const pending = await this.consume(record, url);
      if (`${url.origin}${url.pathname}` !== stripQuery(pending.redirectUri)) {
        throw new AuthError(
          SsoErrorCode.StateInvalid,
          'the callback URL is not the redirect URI of this login',
        );
      }
      const tokens = await client
        .authorizationCodeGrant(
          configuration,
          url,
          {
            pkceCodeVerifier: pending.codeVerifier,
            expectedState: url.searchParams.get('state')!,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          },
          { redirect_uri: pending.redirectUri },
        )
        .catch((error: unknown) => Promise.reject(codeExchangeError(error)));
      const claims: Record<string, unknown> = { ...tokens.claims() };
      const needed = ['email', 'email_verified', ...(settings.roleClaim ? [settings.roleClaim] : [])];
      if (
        needed.some((name) => claims[name] === undefined) &&
        configuration.serverMetadata().userinfo_endpoint
      ) {
        const info = await client
          .fetchUserInfo(configuration, tokens.access_token, claims.sub as string)
          .catch((error: unknown) => Promise.reject(codeExchangeError(error)));
        // The signed id_token wins where both speak.
        for (const [name, value] of Object.entries(info)) claims[name] ??= value;
      }
      return await this.login.signIn(record, settings, {
        subject: String(claims.sub),
        email: typeof claims.email === 'string' ? claims.email : undefined,
        emailVerified: claims.email_verified === true,
        roleValues: settings.roleClaim ? claimValues(claims[settings.roleClaim]) : [],
      });
    } catch (error) {
      if (error instanceof AuthError && error.code.startsWith('sso.'))
        await this.login.refused(record, error);
      throw error;
    }
  }

  private async provider(providerId: string): Promise<{
    record: SsoProviderRecord;
    settings: OidcProviderConfig;
    configuration: client.Configuration;
  }> {
    const { record, secret } = await this.providers.forLogin(providerId, 'oidc');
    const settings = OidcProviderConfig.parse({ ...record.config, clientSecret: secret });
    const configuration = await this.clients.configuration(record, settings);
    return { record, settings, configuration };
  }

  /** Single use: the row is deleted by the first callback that names the state, valid or not. */
  private async consume(record: SsoProviderRecord, url: URL): Promise<PendingOidc> {
    const state = url.searchParams.get('state');
    const key = state && pendingKey(state);
    const pending = key ? await this.pending.consume(record.id, key) : undefined;
    if (!pending || pending.expired) {
      throw new AuthError(SsoErrorCode.StateInvalid, 'the login state is unknown, used or expired');
    }
    const error = url.searchParams.get('error');
    if (error) {
      throw new AuthError(SsoErrorCode.IdpError, `the IdP refused: ${error.slice(0, 200)}`, {
        description: url.searchParams.get('error_description')?.slice(0, 500),
      });
    }
    return JSON.parse(this.secrets.open(pending.data, key!)) as PendingOidc;
  }
}

function pendingKey(state: string): string {
  return `oidc:${sha256(state)}`;
}

function parseCallback(callbackUrl: string): URL {
  try {
    return new URL(callbackUrl);
  } catch {
    throw new AuthError(CommonErrorCode.InvalidRequest, 'callbackUrl is not a URL');
  }
}

function stripQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
