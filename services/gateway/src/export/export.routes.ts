import { HostStatus, LIMITS } from '@optralis/contracts';
import { z } from 'zod';

import { defineRoute } from '../openapi/route-definition';
import { CSV_CONTENT_TYPE } from './csv';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-exposition';

export const prometheusExportRoute = defineRoute({
  method: 'GET',
  path: 'export/prometheus',
  operationId: 'exportPrometheus',
  summary: 'The latest value of every series of the caller’s tenant, for Prometheus to scrape',
  description:
    'Text exposition format 0.0.4, streamed. Every sample carries `tenant`, `host` and `host_name` labels ' +
    'besides its own (renamed `exported_…` when they clash); names are sanitised (`cpu.usage_pct` → ' +
    '`cpu_usage_pct`) and samples keep the time the host reported them. A tenant with more series than ' +
    'the gateway exports (`GATEWAY_EXPORT_MAX_SERIES`) answers 422 `export.too_many_series` before any ' +
    'sample is sent.',
  access: 'observer',
  response: z.string().describe('Prometheus text exposition format 0.0.4'),
  produces: PROMETHEUS_CONTENT_TYPE,
  errors: [422],
  examples: {
    response:
      '# HELP cpu_usage_pct Latest value of cpu.usage_pct reported to Optralis.\n' +
      '# TYPE cpu_usage_pct gauge\n' +
      'cpu_usage_pct{host="4c4c4544-0031-3510-8052-b4c04f4d3232",host_name="web-01",tenant="5b0e…"} 12.5 1795168800000\n',
  },
});

export const hostsCsvExportRoute = defineRoute({
  method: 'GET',
  path: 'hosts/export.csv',
  operationId: 'exportHostsCsv',
  summary: 'The caller’s hosts as CSV, with the filters of the host list',
  description:
    'RFC 4180 with a header row, streamed as an attachment: id, name, status, tags (`;`-separated), ' +
    'description, os, kernel, last_seen, first_seen, source, interval_seconds, series_count. Text a ' +
    "spreadsheet would evaluate as a formula (`=`, `+`, `-`, `@`) is written with a leading `'`.",
  access: 'observer',
  query: z.strictObject({
    q: z.string().max(200).optional().describe('part of the name, id or description'),
    status: HostStatus.optional(),
    tag: z.string().min(1).max(LIMITS.tagLength).optional().describe('hosts carrying this tag'),
  }),
  response: z.string().describe('RFC 4180 CSV with a header row'),
  produces: CSV_CONTENT_TYPE,
  responseHeaders: {
    'Content-Disposition': {
      description: 'attachment; filename="hosts.csv"',
      schema: { type: 'string' },
    },
  },
  examples: {
    response:
      'id,name,status,tags,description,os,kernel,last_seen,first_seen,source,interval_seconds,series_count\r\n',
  },
});
