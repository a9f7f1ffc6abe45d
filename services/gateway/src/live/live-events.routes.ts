import { z } from 'zod';

import { defineRoute } from '../openapi/route-definition';

export const LiveEventsQuery = z.strictObject({
  lastEventId: z
    .string()
    .max(64)
    .optional()
    .describe('Resume point for clients that cannot send the Last-Event-ID header (the header wins).'),
});

export const liveEventsRoute = defineRoute({
  method: 'GET',
  path: 'events',
  operationId: 'streamEvents',
  summary: 'Live alert changes and host status (server-sent events)',
  description:
    'A `text/event-stream` of the caller’s tenant: `event: alert` (an alert changed state; the body is the ALERTS ' +
    'event with its explanation) and `event: host` (a host registered, went offline or came back). Each event’s ' +
    '`id` is a position; reconnecting with `Last-Event-ID` resumes right after it, so nothing is missed. ' +
    'A comment is sent every 15 s while idle.',
  access: 'observer',
  query: LiveEventsQuery,
  response: z.string(),
  produces: 'text/event-stream',
  errors: [503],
  examples: {
    response:
      'id: 1842.77\nevent: alert\ndata: {"alertId":"…","state":"firing","severity":"critical","summary":"…"}\n\n',
  },
});
