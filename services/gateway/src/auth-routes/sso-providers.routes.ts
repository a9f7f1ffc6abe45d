import { rpcMethods, SsoProviderView } from '@optralis/contracts';
import { z } from 'zod';

import { IdParams, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const [oidc, saml] = rpcMethods['rpc.auth.ssoProviders.create'].request.options;
const Provider = component('SsoProvider', SsoProviderView);

export const listSsoProvidersRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listSsoProviders',
  summary: 'OIDC and SAML providers of the tenant (client secrets are never answered)',
  access: 'admin',
  response: pageOf('SsoProviderPage', Provider),
});

export const createSsoProviderRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createSsoProvider',
  summary: 'Add an OIDC or SAML provider; register the answered callbackUrl at the identity provider',
  access: 'admin',
  body: component(
    'CreateSsoProviderRequest',
    z.discriminatedUnion('type', [oidc.omit({ actor: true }), saml.omit({ actor: true })]),
  ),
  response: Provider,
  status: 201,
  errors: [409],
  examples: {
    body: {
      name: 'corp',
      type: 'oidc',
      config: {
        issuer: 'https://login.example.com',
        clientId: 'optralis',
        clientSecret: 'change-me',
        scopes: ['openid', 'email', 'profile'],
        roleClaim: 'groups',
        roleMap: { ops: 'editor' },
        defaultRole: 'observer',
        allowedDomains: [],
      },
    },
  },
});

export const getSsoProviderRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getSsoProvider',
  summary: 'One SSO provider',
  access: 'admin',
  params: IdParams,
  response: Provider,
  errors: [404],
});

export const updateSsoProviderRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateSsoProvider',
  summary: 'Rename, enable or disable a provider, or merge changes into its config',
  description: 'An absent `config.clientSecret` keeps the stored one.',
  access: 'admin',
  params: IdParams,
  body: component(
    'UpdateSsoProviderRequest',
    rpcMethods['rpc.auth.ssoProviders.update'].request.omit({ actor: true, providerId: true }),
  ),
  response: Provider,
  errors: [404, 409],
});

export const deleteSsoProviderRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteSsoProvider',
  summary: 'Remove an SSO provider',
  access: 'admin',
  params: IdParams,
  status: 204,
  errors: [404],
});
