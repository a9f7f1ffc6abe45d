import {
  AnomalyRuleInput,
  ForecastRuleInput,
  HostOfflineRuleInput,
  Rule,
  RuleInput,
  RuleKind,
  ruleProblems,
  ThresholdRuleInput,
} from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { changesOf, OptionalQueryBoolean } from './alerting.schemas';

const AlertRule = component('AlertRule', Rule);

/** The rule as its author sends it, with the checks across fields (level order, clear side) named by field. */
const CreateAlertRuleRequest = component(
  'CreateAlertRuleRequest',
  RuleInput.superRefine((rule, context) => {
    for (const problem of ruleProblems(rule)) {
      context.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
  }),
);

const { kind: _kind, ...ruleFields } = {
  ...ForecastRuleInput.shape,
  ...HostOfflineRuleInput.shape,
  ...AnomalyRuleInput.shape,
  ...ThresholdRuleInput.shape,
};

export const listAlertRulesRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listAlertRules',
  summary: 'Alert rules of the caller’s tenant',
  access: 'observer',
  query: z.strictObject({
    kind: RuleKind.optional(),
    enabled: OptionalQueryBoolean.describe('only enabled (true) or disabled (false) rules'),
    limit: limitQuery(500, 50),
    cursor: CursorQuery,
  }),
  response: pageOf('AlertRulePage', AlertRule),
});

export const createAlertRuleRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createAlertRule',
  summary: 'Create a threshold, anomaly, host-offline or forecast rule',
  access: 'editor',
  body: CreateAlertRuleRequest,
  response: AlertRule,
  status: 201,
  description:
    'A channel or escalation policy id that is not one of the tenant’s answers 400 `invalid_request`, as an unknown one does.',
  examples: {
    body: {
      name: 'cpu high',
      kind: 'threshold',
      metric: 'cpu.usage_pct',
      operator: '>',
      warning: 80,
      critical: 90,
      forSeconds: 0,
      scope: { hostIds: [], tags: [] },
      channelIds: [],
    },
  },
});

export const getAlertRuleRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getAlertRule',
  summary: 'One alert rule',
  access: 'observer',
  params: IdParams,
  response: AlertRule,
  errors: [404],
});

export const updateAlertRuleRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateAlertRule',
  summary: 'Change some fields of a rule; the result is validated as a whole',
  description: '`kind` cannot change; fields left out keep their value.',
  access: 'editor',
  params: IdParams,
  body: component('UpdateAlertRuleRequest', changesOf(ruleFields)),
  response: AlertRule,
  errors: [404],
  examples: { body: { warning: 85, enabled: false } },
});

export const deleteAlertRuleRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteAlertRule',
  summary: 'Remove an alert rule',
  access: 'editor',
  params: IdParams,
  status: 204,
  errors: [404],
});
