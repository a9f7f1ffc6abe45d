import { z } from 'zod';

import { Uuid } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { REFRESH_COOKIE_HEADER } from './refresh-cookie';

export const SAML_METADATA_TYPE = 'application/samlmetadata+xml';

const ProviderParams = z.strictObject({ providerId: Uuid.describe('SSO provider id') });
const LOCATION = { Location: { description: 'where the browser goes next', schema: { type: 'string' } } };
const CONSOLE_REDIRECT = { ...LOCATION, ...REFRESH_COOKIE_HEADER };

export const oidcLoginRoute = defineRoute({
  method: 'GET',
  path: 'oidc/:providerId/login',
  operationId: 'startOidcLogin',
  summary: 'Redirect the browser to the OpenID Connect provider (code flow with PKCE)',
  access: 'public',
  rateLimit: 'sign-in',
  params: ProviderParams,
  status: 302,
  responseDescription: 'Redirect to the identity provider',
  responseHeaders: LOCATION,
  errors: [404],
});

export const oidcCallbackRoute = defineRoute({
  method: 'GET',
  path: 'oidc/:providerId/callback',
  operationId: 'finishOidcLogin',
  summary: 'Where the OpenID Connect provider sends the browser back; ends at the console, signed in',
  description:
    'Sets the refresh cookie; the console then calls POST /api/v1/auth/refresh for an access token.',
  access: 'public',
  rateLimit: 'sign-in',
  params: ProviderParams,
  query: z.looseObject({
    code: z.string().max(4096).optional(),
    state: z.string().max(1024).optional(),
    error: z.string().max(256).optional(),
  }),
  status: 302,
  responseDescription:
    'Redirect to the console with the refresh cookie set; a refused or failed sign-in redirects to the console ' +
    'with `sso_error` and `sso_error_description` instead',
  responseHeaders: CONSOLE_REDIRECT,
  errors: [401, 403, 404],
});

export const samlMetadataRoute = defineRoute({
  method: 'GET',
  path: 'saml/:providerId/metadata',
  operationId: 'getSamlMetadata',
  summary: 'SAML 2.0 service provider metadata to register at the identity provider',
  access: 'public',
  params: ProviderParams,
  response: z.string(),
  produces: SAML_METADATA_TYPE,
  errors: [404],
});

export const samlLoginRoute = defineRoute({
  method: 'GET',
  path: 'saml/:providerId/login',
  operationId: 'startSamlLogin',
  summary: 'Redirect the browser to the SAML identity provider (HTTP-Redirect AuthnRequest)',
  access: 'public',
  rateLimit: 'sign-in',
  params: ProviderParams,
  query: z.strictObject({
    relayState: z
      .string()
      .max(1024)
      .optional()
      .describe('console path to land on after the login, e.g. /hosts'),
  }),
  status: 302,
  responseDescription: 'Redirect to the identity provider',
  responseHeaders: LOCATION,
  errors: [404],
});

export const samlAcsRoute = defineRoute({
  method: 'POST',
  path: 'saml/:providerId/acs',
  operationId: 'finishSamlLogin',
  summary: 'Assertion consumer service: the IdP posts the SAML response here; ends at the console, signed in',
  access: 'public',
  rateLimit: 'sign-in',
  params: ProviderParams,
  body: z.object({
    SAMLResponse: z
      .string()
      .min(1)
      .max(512 * 1024),
    RelayState: z.string().max(1024).optional(),
  }),
  consumes: ['application/x-www-form-urlencoded'],
  status: 302,
  responseDescription:
    'Redirect to the console with the refresh cookie set; a refused or failed sign-in redirects to the console ' +
    'with `sso_error` and `sso_error_description` instead',
  responseHeaders: CONSOLE_REDIRECT,
  errors: [401, 403, 404],
});
