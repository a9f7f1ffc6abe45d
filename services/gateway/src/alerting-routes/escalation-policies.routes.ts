import { EscalationPolicy, EscalationPolicyInput } from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { changesOf } from './alerting.schemas';

const Policy = component('EscalationPolicy', EscalationPolicy);

export const listEscalationPoliciesRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listEscalationPolicies',
  summary: 'Escalation policies of the tenant',
  access: 'observer',
  query: z.strictObject({ limit: limitQuery(500, 50), cursor: CursorQuery }),
  response: pageOf('EscalationPolicyPage', Policy),
});

export const createEscalationPolicyRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createEscalationPolicy',
  summary: 'Add an escalation policy: channels notified step by step while nobody acknowledges',
  access: 'editor',
  body: component('CreateEscalationPolicyRequest', EscalationPolicyInput),
  response: Policy,
  status: 201,
  description:
    'A channel id that is not one of the tenant’s answers 400 `invalid_request`, as an unknown one does.',
  examples: {
    body: {
      name: 'on-call',
      steps: [
        { afterMinutes: 0, channelIds: ['3f2b8c1e-7d4a-4e6b-9c0d-1a2b3c4d5e6f'] },
        { afterMinutes: 15, channelIds: ['7a1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'] },
      ],
      repeat: 1,
    },
  },
});

export const getEscalationPolicyRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getEscalationPolicy',
  summary: 'One escalation policy',
  access: 'observer',
  params: IdParams,
  response: Policy,
  errors: [404],
});

export const updateEscalationPolicyRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateEscalationPolicy',
  summary: 'Change some fields of an escalation policy (`steps` replaces the list)',
  access: 'editor',
  params: IdParams,
  body: component('UpdateEscalationPolicyRequest', changesOf(EscalationPolicyInput.shape)),
  response: Policy,
  errors: [404],
  examples: { body: { repeat: 2 } },
});

export const deleteEscalationPolicyRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteEscalationPolicy',
  summary: 'Remove an escalation policy no rule uses',
  access: 'editor',
  params: IdParams,
  status: 204,
  errors: [404, 409],
});
