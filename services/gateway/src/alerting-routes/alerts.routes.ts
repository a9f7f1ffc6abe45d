import {
  ALERT_SEVERITIES,
  ALERT_STATES,
  Alert,
  AlertDetail,
  EntityId,
  HostIdSchema,
  IsoTime,
} from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { OptionalQueryBoolean } from './alerting.schemas';

const AlertSchema = component('Alert', Alert);

export const listAlertsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listAlerts',
  cacheable: true,
  summary: 'Alerts of the caller’s tenant, newest first',
  access: 'observer',
  query: z.strictObject({
    open: OptionalQueryBoolean.describe(
      'true: pending, firing, acknowledged or suppressed; false: resolved only',
    ),
    state: z.enum(ALERT_STATES).optional(),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    hostId: HostIdSchema.optional(),
    ruleId: EntityId.optional(),
    from: IsoTime.optional().describe('started at or after'),
    to: IsoTime.optional().describe('started before'),
    limit: limitQuery(500, 50),
    cursor: CursorQuery,
  }),
  response: pageOf('AlertPage', AlertSchema),
});

export const getAlertRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getAlert',
  cacheable: true,
  summary: 'One alert with its transitions and notification deliveries',
  access: 'observer',
  params: IdParams,
  response: component('AlertDetail', AlertDetail),
  errors: [404],
});

export const ackAlertRoute = defineRoute({
  method: 'POST',
  path: ':id/ack',
  operationId: 'acknowledgeAlert',
  summary: 'Acknowledge an alert: escalation stops, the alert stays open until its condition clears',
  access: 'editor',
  params: IdParams,
  body: component(
    'AcknowledgeAlertRequest',
    z.strictObject({ note: z.string().max(2000).optional().describe('why, for the audit trail') }).optional(),
  ),
  response: AlertSchema,
  errors: [404, 409],
  examples: { body: { note: 'looking into it' } },
});
