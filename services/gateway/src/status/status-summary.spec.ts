import type { PublicHostGroup, PublicIncident, ReplyOf } from '@optralis/contracts';

import { summariseStatus } from './status-summary';

const NOW = new Date('2030-01-15T10:30:00.000Z');

function page(overrides: Partial<ReplyOf<'rpc.auth.statusPage.resolve'>['config']> = {}) {
  return {
    tenantId: 'tenant-a',
    name: 'Acme',
    config: {
      title: null,
      groups: [
        { name: 'Website', tag: 'web' },
        { name: 'Database', tag: 'db' },
      ],
      showIncidents: true,
      ...overrides,
    },
  };
}

function counts(tag: string, hosts: number, offline: number): PublicHostGroup {
  return { tag, hosts, online: hosts - offline, offline, uptimePercent90d: 99.5 };
}

function incident(severity: PublicIncident['severity'], tags: string[]): PublicIncident {
  return { ruleName: 'CPU high', severity, state: 'firing', startedAt: '2030-01-15T10:00:00.000Z', tags };
}

const incidents = (...items: PublicIncident[]) => ({ incidents: items, truncated: false });

describe(summariseStatus.name, () => {
  it('should say all systems operational when every host is up and nothing is open', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 3, 0), counts('db', 1, 0)],
      incidents: incidents(),
      now: NOW,
    });

    expect(summary).toMatchObject({
      title: 'Acme',
      status: 'operational',
      description: 'All systems operational',
      generatedAt: NOW.toISOString(),
      incidents: { shown: true, available: true, truncated: false, items: [] },
    });
    expect(summary.groups.map((group) => group.status)).toEqual(['operational', 'operational']);
  });

  it('should say partial outage when some hosts of a group are down', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 3, 1), counts('db', 1, 0)],
      incidents: incidents(),
      now: NOW,
    });

    expect(summary.status).toBe('partial_outage');
    expect(summary.description).toBe('Partial outage');
    expect(summary.groups[0]).toEqual({
      name: 'Website',
      status: 'partial_outage',
      hosts: 3,
      online: 2,
      offline: 1,
      uptimePercent90d: 99.5,
    });
  });

  it('should say major outage when every host of a group is down', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 3, 1), counts('db', 2, 2)],
      incidents: incidents(),
      now: NOW,
    });

    expect(summary.status).toBe('major_outage');
    expect(summary.description).toBe('Major outage');
  });

  it('should let a critical incident make its groups a partial outage and a warning degrade them', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 3, 0), counts('db', 1, 0)],
      incidents: incidents(
        incident('critical', ['web']),
        incident('warning', ['db']),
        incident('info', ['db']),
      ),
      now: NOW,
    });

    expect(summary.groups.map((group) => group.status)).toEqual(['partial_outage', 'degraded']);
    expect(summary.incidents.items[0]).toEqual({
      title: 'CPU high',
      severity: 'critical',
      state: 'firing',
      startedAt: '2030-01-15T10:00:00.000Z',
      groups: ['Website'],
    });
  });

  it('should neither list nor count incidents when the tenant hides them', () => {
    const summary = summariseStatus({
      page: page({ showIncidents: false }),
      hostGroups: [counts('web', 3, 0), counts('db', 1, 0)],
      incidents: incidents(incident('critical', ['web'])),
      now: NOW,
    });

    expect(summary.status).toBe('operational');
    expect(summary.incidents).toEqual({ shown: false, available: true, truncated: false, items: [] });
  });

  it('should say incidents are unavailable when alerting did not answer', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 1, 0)],
      incidents: null,
      now: NOW,
    });

    expect(summary.incidents).toEqual({ shown: true, available: false, truncated: false, items: [] });
  });

  it('should say there is no data yet when no group has hosts, and use the title when one is set', () => {
    const summary = summariseStatus({
      page: page({ title: 'Acme platform' }),
      hostGroups: [counts('web', 0, 0)],
      incidents: incidents(),
      now: NOW,
    });

    expect(summary).toMatchObject({
      title: 'Acme platform',
      status: 'no_data',
      description: 'No status data yet',
    });
    expect(summary.groups[1]).toMatchObject({
      name: 'Database',
      status: 'no_data',
      hosts: 0,
      uptimePercent90d: null,
    });
  });

  it('should judge the page by the groups that have data', () => {
    const summary = summariseStatus({
      page: page(),
      hostGroups: [counts('web', 2, 0)],
      incidents: incidents(),
      now: NOW,
    });

    expect(summary.status).toBe('operational');
  });
});
