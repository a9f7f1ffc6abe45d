import { MaintenanceWindow, MaintenanceWindowInput } from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { changesOf, OptionalQueryBoolean } from './alerting.schemas';

const Window = component('MaintenanceWindow', MaintenanceWindow);

export const listMaintenanceWindowsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listMaintenanceWindows',
  summary: 'Maintenance windows of the tenant, with their current and next occurrence',
  access: 'observer',
  query: z.strictObject({
    active: OptionalQueryBoolean.describe('only windows in force now (true) or not (false)'),
    limit: limitQuery(500, 50),
    cursor: CursorQuery,
  }),
  response: pageOf('MaintenanceWindowPage', Window),
});

export const createMaintenanceWindowRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createMaintenanceWindow',
  summary: 'Add a one-off or recurring (RRULE) maintenance window; alerts in scope are suppressed during it',
  access: 'editor',
  body: component('CreateMaintenanceWindowRequest', MaintenanceWindowInput),
  response: Window,
  status: 201,
  examples: {
    body: {
      name: 'Sunday patching',
      startsAt: '2026-11-22T02:00:00Z',
      durationMinutes: 120,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      timezone: 'Europe/Paris',
      scope: { hostIds: [], tags: ['prod'] },
    },
  },
});

export const getMaintenanceWindowRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getMaintenanceWindow',
  summary: 'One maintenance window',
  access: 'observer',
  params: IdParams,
  response: Window,
  errors: [404],
});

export const updateMaintenanceWindowRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateMaintenanceWindow',
  summary: 'Change some fields of a maintenance window',
  access: 'editor',
  params: IdParams,
  body: component('UpdateMaintenanceWindowRequest', changesOf(MaintenanceWindowInput.shape)),
  response: Window,
  errors: [404],
  examples: { body: { durationMinutes: 90 } },
});

export const deleteMaintenanceWindowRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteMaintenanceWindow',
  summary: 'Remove a maintenance window',
  access: 'editor',
  params: IdParams,
  status: 204,
  errors: [404],
});
