import type { PublicHostGroup, PublicIncident, ReplyOf } from '@optralis/contracts';

import {
  type PublicStatusGroup,
  type PublicStatusIncident,
  type PublicStatusPage,
  type Status,
  UPTIME_METHOD,
} from './public-status.schema';

type ResolvedPage = ReplyOf<'rpc.auth.statusPage.resolve'>;

/** From best to worst; `no_data` sits apart and only wins when nothing else is known. */
const RANK: Record<Exclude<Status, 'no_data'>, number> = {
  operational: 0,
  degraded: 1,
  partial_outage: 2,
  major_outage: 3,
};

export const BANNERS: Record<Status, string> = {
  operational: 'All systems operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  no_data: 'No status data yet',
};

function worse(current: Status, candidate: Status): Status {
  if (candidate === 'no_data') return current;
  if (current === 'no_data') return candidate;
  return RANK[candidate] > RANK[current] ? candidate : current;
}

function hostStatus(group: PublicHostGroup | undefined): Status {
  if (!group || group.hosts === 0) return 'no_data';
  if (group.offline >= group.hosts) return 'major_outage';
  return group.offline > 0 ? 'partial_outage' : 'operational';
}

/** A critical incident is an outage of part of the group; a warning slows it down; info changes nothing. */
function incidentStatus(incidents: PublicIncident[], tag: string): Status {
  const severities = new Set(
    incidents.filter((incident) => incident.tags.includes(tag)).map((item) => item.severity),
  );
  if (severities.has('critical')) return 'partial_outage';
  return severities.has('warning') ? 'degraded' : 'no_data';
}

export interface StatusInputs {
  page: ResolvedPage;
  hostGroups: PublicHostGroup[];
  /** Null when incidents are hidden or alerting did not answer. */
  incidents: ReplyOf<'rpc.alerting.publicStatus.incidents'> | null;
  now: Date;
}

/**
 * The public page from the tenant's settings and the services' summaries. Hidden incidents change nothing
 * on the page, the banner included, so hiding them hides them completely.
 */
export function summariseStatus({ page, hostGroups, incidents, now }: StatusInputs): PublicStatusPage {
  const { config } = page;
  const counted = new Map(hostGroups.map((group) => [group.tag, group]));
  const shownIncidents = config.showIncidents ? (incidents?.incidents ?? []) : [];
  const groups: PublicStatusGroup[] = config.groups.map(({ name, tag }) => {
    const counts = counted.get(tag);
    return {
      name,
      status: worse(hostStatus(counts), incidentStatus(shownIncidents, tag)),
      hosts: counts?.hosts ?? 0,
      online: counts?.online ?? 0,
      offline: counts?.offline ?? 0,
      uptimePercent90d: counts?.uptimePercent90d ?? null,
    };
  });
  const items: PublicStatusIncident[] = shownIncidents.map((incident) => ({
    title: incident.ruleName,
    severity: incident.severity,
    state: incident.state,
    startedAt: incident.startedAt,
    groups: config.groups.filter((group) => incident.tags.includes(group.tag)).map((group) => group.name),
  }));
  const status = groups.reduce<Status>((current, group) => worse(current, group.status), 'no_data');
  return {
    title: config.title ?? page.name,
    status,
    description: BANNERS[status],
    groups,
    incidents: {
      shown: config.showIncidents,
      available: !config.showIncidents || incidents !== null,
      truncated: config.showIncidents && (incidents?.truncated ?? false),
      items,
    },
    uptimeMethod: UPTIME_METHOD,
    generatedAt: now.toISOString(),
  };
}
