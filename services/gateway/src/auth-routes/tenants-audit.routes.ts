import { AuditEntry, AuditEvent, IsoTime, rpcMethods, Tenant } from '@optralis/contracts';
import { z } from 'zod';

import { limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const TenantSchema = component('Tenant', Tenant);

export const listTenantsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listTenants',
  summary: 'Every tenant of the platform (owners of the default tenant only)',
  access: 'owner',
  response: pageOf('TenantPage', TenantSchema),
});

export const createTenantRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createTenant',
  summary: 'Create a tenant (an MSP client) and the invitation of its first owner',
  access: 'owner',
  body: component('CreateTenantRequest', rpcMethods['rpc.auth.tenants.create'].request.omit({ actor: true })),
  response: component('CreatedTenant', rpcMethods['rpc.auth.tenants.create'].reply),
  status: 201,
  errors: [409],
  examples: { body: { slug: 'acme', name: 'Acme Corp' } },
});

export const listAuditRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listAuditEntries',
  summary: 'The tenant’s hash-chained audit journal, newest first',
  access: 'admin',
  query: z
    .strictObject({
      actorType: AuditEvent.shape.actor.shape.type.optional(),
      actorId: z.string().min(1).max(200).optional(),
      action: z.string().min(1).max(200).optional().describe('e.g. login.failed'),
      from: IsoTime.optional(),
      to: IsoTime.optional(),
      limit: limitQuery(500, 50),
      cursor: z
        .string()
        .regex(/^\d{1,19}$/)
        .optional()
        .describe('nextCursor of the previous page'),
    })
    .refine((query) => !query.actorType || query.actorId, {
      message: 'actorType needs actorId',
      path: ['actorType'],
    }),
  response: pageOf('AuditPage', component('AuditEntry', AuditEntry)),
});

export const verifyAuditRoute = defineRoute({
  method: 'GET',
  path: 'verify',
  operationId: 'verifyAuditJournal',
  summary: 'Check the tenant’s audit hash chain; names the first edited, missing or reordered entry',
  access: 'admin',
  response: component('AuditVerification', rpcMethods['rpc.auth.audit.verify'].reply),
});
