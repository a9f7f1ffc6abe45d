import { ApiTokenSummary, IngestTokenSummary, rpcMethods } from '@optralis/contracts';
import { z } from 'zod';

import { IdParams, pageOf, QueryBoolean } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const ListQuery = z.strictObject({ includeRevoked: QueryBoolean.describe('also list revoked tokens') });
const Revoked = component('RevokedToken', rpcMethods['rpc.auth.apiTokens.revoke'].reply);
const ApiToken = component('ApiToken', ApiTokenSummary);
const IngestToken = component('IngestToken', IngestTokenSummary);

export const listApiTokensRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listApiTokens',
  summary: 'API tokens of the tenant (never their secrets)',
  access: 'admin',
  query: ListQuery,
  response: pageOf('ApiTokenPage', ApiToken),
});

export const createApiTokenRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createApiToken',
  summary: 'Create an API token; the token is in this answer only',
  description: 'It acts in the tenant it was created in, with its role (never above the creator’s).',
  access: 'admin',
  body: component(
    'CreateApiTokenRequest',
    rpcMethods['rpc.auth.apiTokens.create'].request.omit({ actor: true }),
  ),
  response: component('CreatedApiToken', rpcMethods['rpc.auth.apiTokens.create'].reply),
  status: 201,
  errors: [409],
  examples: { body: { name: 'ci', role: 'admin', expiresAt: null } },
});

export const revokeApiTokenRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'revokeApiToken',
  summary: 'Revoke an API token, at once on every gateway',
  access: 'admin',
  params: IdParams,
  response: Revoked,
  errors: [404],
});

export const listIngestTokensRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listIngestTokens',
  summary: 'Ingest tokens of the tenant (never their secrets)',
  access: 'admin',
  query: ListQuery,
  response: pageOf('IngestTokenPage', IngestToken),
});

export const createIngestTokenRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createIngestToken',
  summary: 'Create an ingest token for agents and metric senders; the token is in this answer only',
  access: 'admin',
  body: component(
    'CreateIngestTokenRequest',
    rpcMethods['rpc.auth.ingestTokens.create'].request.omit({ actor: true }),
  ),
  response: component('CreatedIngestToken', rpcMethods['rpc.auth.ingestTokens.create'].reply),
  status: 201,
  errors: [409],
  examples: { body: { name: 'telegraf' } },
});

export const revokeIngestTokenRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'revokeIngestToken',
  summary: 'Revoke an ingest token',
  access: 'admin',
  params: IdParams,
  response: Revoked,
  errors: [404],
});
