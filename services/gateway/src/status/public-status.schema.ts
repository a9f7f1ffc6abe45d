import { ALERT_SEVERITIES, IsoTime, PUBLIC_INCIDENT_STATES } from '@optralis/contracts';
import { z } from 'zod';

import { component } from '../openapi/schema-components';

export const STATUSES = ['operational', 'degraded', 'partial_outage', 'major_outage', 'no_data'] as const;
export type Status = (typeof STATUSES)[number];

export const UPTIME_METHOD =
  'Uptime is the share of hours in the last 90 days (or since a host first reported, if later) in which ' +
  'each host of the group sent at least one report, over all hosts of the group.';

const PublicGroup = z.object({
  name: z.string(),
  status: z.enum(STATUSES),
  hosts: z.number().int().nonnegative(),
  online: z.number().int().nonnegative(),
  offline: z.number().int().nonnegative(),
  uptimePercent90d: z.number().min(0).max(100).nullable(),
});

const PublicIncident = z.object({
  title: z.string().describe('the alert rule’s name'),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(PUBLIC_INCIDENT_STATES).describe('firing: investigating; acknowledged: identified'),
  startedAt: IsoTime,
  groups: z.array(z.string()).describe('names of the groups whose hosts it affects'),
});

/** The public status of one tenant: what `/status/{tenantSlug}` renders and `.json` answers. */
export const PublicStatusPage = component(
  'PublicStatusPage',
  z.object({
    title: z.string(),
    status: z.enum(STATUSES).describe('the worst status of the groups; no_data when no group has hosts'),
    description: z.string().describe('the banner, e.g. "All systems operational"'),
    groups: z.array(PublicGroup),
    incidents: z.object({
      shown: z.boolean().describe('false when the tenant keeps incidents off its page'),
      available: z.boolean().describe('false when alerting did not answer in time'),
      truncated: z.boolean(),
      items: z.array(PublicIncident),
    }),
    uptimeMethod: z.string(),
    generatedAt: IsoTime,
  }),
);
export type PublicStatusPage = z.infer<typeof PublicStatusPage>;
export type PublicStatusGroup = PublicStatusPage['groups'][number];
export type PublicStatusIncident = PublicStatusPage['incidents']['items'][number];
