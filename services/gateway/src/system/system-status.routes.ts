import { SERVICE_NAMES } from '@optralis/contracts';
import { z } from 'zod';

import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const ServiceStatus = z.object({
  name: z.enum(SERVICE_NAMES),
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  version: z.string().optional(),
  instanceId: z.string().optional(),
  uptimeSeconds: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const systemStatusRoute = defineRoute({
  method: 'GET',
  path: 'status',
  operationId: 'getSystemStatus',
  summary: 'Whether every service answers over NATS, with its version',
  access: 'public',
  response: component(
    'SystemStatus',
    z.object({
      status: z.enum(['ok', 'degraded']),
      checkedAt: z.string(),
      services: z.array(ServiceStatus),
    }),
  ),
});
