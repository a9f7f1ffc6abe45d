import { z } from 'zod';

import { IsoTime, LIMITS, TenantIdSchema } from '../schemas/common';
import { ALERT_SEVERITIES } from '../subjects';
import { Actor } from './auth-identity';

export const STATUS_PAGE_LIMITS = {
  groups: 20,
  titleLength: 120,
  groupNameLength: 80,
  /** Most tags one public-summary request may name. */
  tagsPerRequest: 50,
  /** Most incidents one public-summary reply carries. */
  incidents: 100,
} as const;

/** C0 and C1 controls and DEL. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Embeddings, overrides and isolates (LRE…RLO, LRI…PDI): they make shown text read other than it is. */
function isDirectionalFormatting(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

const withoutControls = (value: string) => ![...value].some((char) => isControl(char.codePointAt(0)!));
const withoutDirectionalFormatting = (value: string) =>
  ![...value].some((char) => isDirectionalFormatting(char.codePointAt(0)!));

/** Text a tenant shows to anonymous visitors: renderers escape it, but it never carries controls. */
function publicText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(withoutControls, 'must not contain control characters')
    .refine(withoutDirectionalFormatting, 'must not contain directional formatting characters');
}

/** A host tag as hosts carry it (ingest trims tags and keeps them up to 128 characters). */
export const StatusPageTag = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tagLength)
  .refine(withoutControls, 'must not contain control characters');

/** The hosts carrying `tag` form the group shown as `name`; the tag itself is never shown publicly. */
export const StatusPageGroup = z
  .object({ name: publicText(STATUS_PAGE_LIMITS.groupNameLength), tag: StatusPageTag })
  .strict();
export type StatusPageGroup = z.infer<typeof StatusPageGroup>;

const Groups = z
  .array(StatusPageGroup)
  .max(STATUS_PAGE_LIMITS.groups)
  .superRefine((groups, context) => {
    const names = new Set<string>();
    const tags = new Set<string>();
    groups.forEach((group, index) => {
      const name = group.name.toLowerCase();
      if (names.has(name))
        context.addIssue({ code: 'custom', path: [index, 'name'], message: 'group names must be unique' });
      if (tags.has(group.tag))
        context.addIssue({ code: 'custom', path: [index, 'tag'], message: 'each tag may form one group' });
      names.add(name);
      tags.add(group.tag);
    });
  });

/** What a tenant admin sets; a PUT replaces all of it, absent fields take their defaults. */
export const StatusPageSettings = z
  .object({
    enabled: z.boolean().default(false),
    /** Shown as the page's heading; the tenant's name when null. */
    title: publicText(STATUS_PAGE_LIMITS.titleLength).nullable().default(null),
    groups: Groups.default([]),
    showIncidents: z.boolean().default(true),
  })
  .strict();
export type StatusPageSettings = z.output<typeof StatusPageSettings>;

export const StatusPageView = z.object({
  enabled: z.boolean(),
  title: z.string().nullable(),
  groups: z.array(z.object({ name: z.string(), tag: z.string() })),
  showIncidents: z.boolean(),
  /** The tenant's slug: the page lives at `/status/{slug}`. */
  slug: z.string(),
  updatedAt: IsoTime.nullable(),
});
export type StatusPageView = z.infer<typeof StatusPageView>;

export const PublicHostGroup = z.object({
  tag: z.string(),
  hosts: z.number().int().nonnegative(),
  online: z.number().int().nonnegative(),
  offline: z.number().int().nonnegative(),
  /** Reported host-hours ÷ host-hours over the last 90 days (from first report if later); null without hosts. */
  uptimePercent90d: z.number().min(0).max(100).nullable(),
});
export type PublicHostGroup = z.infer<typeof PublicHostGroup>;

export const PUBLIC_INCIDENT_STATES = ['firing', 'acknowledged'] as const;

/** An open incident as anonymous visitors may see it: no host, metric, value or internal id. */
export const PublicIncident = z.object({
  ruleName: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(PUBLIC_INCIDENT_STATES),
  startedAt: IsoTime,
  /** The requested tags the affected hosts carry. */
  tags: z.array(z.string()),
});
export type PublicIncident = z.infer<typeof PublicIncident>;

const PublicSummaryTags = z.array(StatusPageTag).min(1).max(STATUS_PAGE_LIMITS.tagsPerRequest);

/**
 * Status page methods. `rpc.auth.statusPage.*` configure and find a page; the `publicStatus` methods take a
 * bare tenant id because the gateway asks them for an anonymous visitor, so they answer public-safe
 * summaries only (their reply schemas strip anything else).
 */
export const statusPageRpc = {
  'rpc.auth.statusPage.get': { request: z.object({ actor: Actor }).strict(), reply: StatusPageView },
  'rpc.auth.statusPage.update': {
    request: StatusPageSettings.extend({ actor: Actor }).strict(),
    reply: StatusPageView,
  },
  /** `not_found` alike for an unknown slug and a disabled page, so slugs cannot be probed. */
  'rpc.auth.statusPage.resolve': {
    request: z.object({ slug: z.string().min(1).max(200) }).strict(),
    reply: z.object({
      tenantId: TenantIdSchema,
      name: z.string(),
      config: z.object({
        title: z.string().nullable(),
        groups: z.array(z.object({ name: z.string(), tag: z.string() })),
        showIncidents: z.boolean(),
      }),
    }),
  },
  'rpc.ingest.publicStatus.hostGroups': {
    request: z.object({ tenantId: TenantIdSchema, tags: PublicSummaryTags }).strict(),
    reply: z.object({ groups: z.array(PublicHostGroup) }),
  },
  'rpc.alerting.publicStatus.incidents': {
    request: z
      .object({
        tenantId: TenantIdSchema,
        tags: PublicSummaryTags,
        limit: z.number().int().min(1).max(STATUS_PAGE_LIMITS.incidents).default(50),
      })
      .strict(),
    reply: z.object({ incidents: z.array(PublicIncident), truncated: z.boolean() }),
  },
} as const;
