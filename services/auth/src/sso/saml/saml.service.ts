import { type Profile, SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { Injectable } from '@nestjs/common';
import { SamlProviderConfig } from '@optralis/contracts';

import type { TokenPair } from '../../sessions/sessions.service';
import { AuthError } from '../../shared/auth-error';
import { PendingLoginsRepository } from '../providers/pending-logins.repository';
import type { SsoProviderRecord } from '../providers/sso-providers.repository';
import { SsoProvidersService } from '../providers/sso-providers.service';
import { SsoErrorCode } from '../sso.errors';
import { claimValues, SsoLoginService } from '../sso-login.service';
import { PendingRequestCache } from './pending-request-cache';

const PENDING_TTL_MS = 10 * 60_000;
const CLOCK_SKEW_MS = 60_000;
const REQUEST_ID_ERRORS = /InResponseTo/;
const EMAIL_ATTRIBUTES = [
  'email',
  'mail',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];

/** SAML 2.0 service provider: HTTP-Redirect AuthnRequest out, HTTP-POST response in. */
@Injectable()
export class SamlService {
  constructor(
    private readonly providers: SsoProvidersService,
    private readonly pending: PendingLoginsRepository,
    private readonly login: SsoLoginService,
  ) {}

  async metadata(providerId: string): Promise<{ xml: string }> {
    const { record, settings } = await this.provider(providerId);
    const cache = new PendingRequestCache(this.pending, record.id, { ttlMs: PENDING_TTL_MS });
    const saml = this.saml(record, settings, cache, { wantAssertionsSigned: true });
    return { xml: saml.generateServiceProviderMetadata(null, null) };
  }

  async begin(providerId: string, relayState?: string): Promise<{ redirectUrl: string }> {
    const { record, settings } = await this.provider(providerId);
    const cache = new PendingRequestCache(this.pending, record.id, { ttlMs: PENDING_TTL_MS, relayState });
    const redirectUrl = await this.saml(record, settings, cache).getAuthorizeUrlAsync(
      relayState ?? '',
      undefined,
      {},
    );
    return { redirectUrl };
  }

  async acs(providerId: string, samlResponse: string): Promise<TokenPair & { relayState?: string }> {
    const { record, settings } = await this.provider(providerId);
    const cache = new PendingRequestCache(this.pending, record.id, { ttlMs: PENDING_TTL_MS });
    try {
      const profile = await this.validate(this.saml(record, settings, cache), samlResponse);
      if (!cache.consumed) {
        throw new AuthError(SsoErrorCode.StateInvalid, 'this SAML response was used already');
      }
      const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
      const email = [
        ...EMAIL_ATTRIBUTES.map((name) => profile[name] ?? attributes[name]),
        profile.nameID,
      ].find((value): value is string => typeof value === 'string' && value.includes('@'));
      const pair = await this.login.signIn(record, settings, {
        subject: profile.nameID,
        email,
        // A SAML IdP asserts the address it manages; there is no separate verification flag.
        emailVerified: true,
        roleValues: settings.roleAttribute ? claimValues(attributes[settings.roleAttribute]) : [],
      });
      return { ...pair, relayState: cache.consumed.relayState || undefined };
    } catch (error) {
      if (error instanceof AuthError && error.code.startsWith('sso.'))
        await this.login.refused(record, error);
      throw error;
    }
  }

  private async validate(saml: SAML, samlResponse: string): Promise<Profile> {
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
      if (!profile) throw new Error('the response carries no login');
      return profile;
    } catch (error) {
      const message = (error as Error).message ?? 'unknown error';
      if (REQUEST_ID_ERRORS.test(message)) {
        throw new AuthError(
          SsoErrorCode.StateInvalid,
          `the SAML request is unknown, used or expired: ${message}`,
        );
      }
      throw new AuthError(SsoErrorCode.AssertionInvalid, `the SAML response is not valid: ${message}`);
    }
  }

  private async provider(
    providerId: string,
  ): Promise<{ record: SsoProviderRecord; settings: SamlProviderConfig }> {
    const { record } = await this.providers.forLogin(providerId, 'saml');
    return { record, settings: SamlProviderConfig.parse(record.config) };
  }

  private saml(
    record: SsoProviderRecord,
    settings: SamlProviderConfig,
    cache: PendingRequestCache,
    overrides: Partial<SamlConfig> = {},
  ): SAML {
    const urls = this.providers.urls(record);
    const options: SamlConfig = {
      issuer: urls.entityId,
      audience: urls.entityId,
      callbackUrl: urls.callbackUrl,
      entryPoint: settings.entryPoint,
      idpCert: settings.idpCert,
      idpIssuer: settings.idpIssuer,
      // The metadata asks for signed assertions; validation accepts a signed response or a signed
      // assertion, and node-saml reads only what a valid signature covers (no wrapping).
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: PENDING_TTL_MS,
      cacheProvider: cache,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      maxAssertionAgeMs: PENDING_TTL_MS,
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
      ...overrides,
    };
    return new SAML(options);
  }
}
