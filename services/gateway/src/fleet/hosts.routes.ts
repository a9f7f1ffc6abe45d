import {
  HostDetail,
  HostIdSchema,
  HostStatus,
  HostSummary,
  IsoTime,
  LIMITS,
  MAX_POINTS_PER_SERIES,
  MetricName,
  rpcMethods,
  SeriesPoints,
} from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const MAX_STEP_SECONDS = 86_400 * 31;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `60s`, `5m`, `1h`, `1d` or plain seconds. */
export const Step = z
  .string()
  .regex(/^\d{1,9}[smhd]?$/, 'a duration such as 60s, 5m, 1h, 1d or plain seconds')
  .transform((value) => Number.parseInt(value, 10) * (UNIT_SECONDS[value.at(-1) ?? ''] ?? 1))
  .pipe(z.number().int().min(1).max(MAX_STEP_SECONDS))
  .describe('width of one point: 60s, 5m, 1h, 1d or seconds; widened to keep maxPoints');

const HostParams = z.strictObject({ id: HostIdSchema });
const HostDetailSchema = component('HostDetail', HostDetail);
const SeriesPointsSchema = component('SeriesPoints', SeriesPoints);

export const listHostsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listHosts',
  cacheable: true,
  summary: 'Hosts of the caller’s tenant, by name',
  access: 'observer',
  query: z.strictObject({
    q: z.string().max(200).optional().describe('part of the name, id or description'),
    status: HostStatus.optional(),
    tag: z.string().min(1).max(LIMITS.tagLength).optional().describe('hosts carrying this tag'),
    limit: limitQuery(500, 50),
    cursor: CursorQuery,
  }),
  response: pageOf('HostPage', component('HostSummary', HostSummary)),
});

export const getHostRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getHost',
  cacheable: true,
  summary: 'One host with its inventory and metric names',
  access: 'observer',
  params: HostParams,
  response: HostDetailSchema,
  errors: [404],
});

export const updateHostRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateHost',
  summary: 'Set a host’s description and the tags set through the API',
  description: 'Tags the host reports itself stay; `tags` replaces the ones set here.',
  access: 'editor',
  params: HostParams,
  body: component(
    'UpdateHostRequest',
    rpcMethods['rpc.ingest.hosts.update'].request
      .omit({ actor: true, hostId: true })
      .refine((body) => body.description !== undefined || body.tags !== undefined, {
        message: 'send description, tags or both',
      }),
  ),
  response: HostDetailSchema,
  errors: [404],
  examples: { body: { description: 'Web front, rack 4', tags: ['prod', 'web'] } },
});

export const hostMetricsRoute = defineRoute({
  method: 'GET',
  path: ':id/metrics',
  operationId: 'getHostMetrics',
  cacheable: true,
  summary: 'Points of one or more metrics of a host over a time range',
  description:
    'Each point is `[time, average over the step]`; empty steps are left out. Raw data below a 60 s step, 1-minute rollups below 1 h, hourly rollups above.',
  access: 'observer',
  params: HostParams,
  query: z.strictObject({
    name: z
      .union([MetricName, z.array(MetricName).min(1).max(50)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .describe('metric name, e.g. cpu.usage_pct; repeat for several'),
    from: IsoTime.optional().describe('start (inclusive); one hour before `to` when absent'),
    to: IsoTime.optional().describe('end (exclusive); now when absent'),
    step: Step.optional(),
    maxPoints: z.coerce.number().int().min(1).max(MAX_POINTS_PER_SERIES).optional(),
  }),
  response: component(
    'MetricSeries',
    rpcMethods['rpc.ingest.metrics.series'].reply.extend({ series: z.array(SeriesPointsSchema) }),
  ),
  errors: [404, 422],
  examples: {
    response: {
      resolution: '1m',
      stepSeconds: 60,
      from: '2026-11-20T10:00:00.000Z',
      to: '2026-11-20T10:02:00.000Z',
      series: [
        {
          name: 'cpu.usage_pct',
          labels: {},
          points: [
            ['2026-11-20T10:00:00.000Z', 42.5],
            ['2026-11-20T10:01:00.000Z', 40.1],
          ],
        },
      ],
    },
  },
});
