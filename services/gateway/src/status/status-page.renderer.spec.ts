import type { PublicStatusPage } from './public-status.schema';
import { renderNotFoundPage, renderStatusPage } from './status-page.renderer';

const HOSTILE = `<script>alert("x")</script>' onload='x`;

function page(overrides: Partial<PublicStatusPage> = {}): PublicStatusPage {
  return {
    title: 'Acme',
    status: 'operational',
    description: 'All systems operational',
    groups: [
      { name: 'Website', status: 'operational', hosts: 4, online: 4, offline: 0, uptimePercent90d: 99.996 },
    ],
    incidents: { shown: true, available: true, truncated: false, items: [] },
    uptimeMethod: 'Uptime is the share of hours …',
    generatedAt: '2030-01-15T10:30:00.000Z',
    ...overrides,
  };
}

const render = (overrides: Partial<PublicStatusPage> = {}) =>
  renderStatusPage(page(overrides), { json: 'acme.json' });

describe(renderStatusPage.name, () => {
  it('should escape every tenant-chosen string so that no markup gets through', () => {
    const html = render({
      title: HOSTILE,
      groups: [
        { name: HOSTILE, status: 'operational', hosts: 1, online: 1, offline: 0, uptimePercent90d: 100 },
      ],
      incidents: {
        shown: true,
        available: true,
        truncated: false,
        items: [
          {
            title: `</title><img src=x onerror=alert(1)>`,
            severity: 'critical',
            state: 'firing',
            startedAt: '2030-01-15T09:00:00.000Z',
            groups: [HOSTILE],
          },
        ],
      },
    });

    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain(`' onload='`);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x');
    expect(html.match(/<script/g)).toBeNull();
    expect(html).toContain('<title>&lt;script&gt;');
  });

  it('should strip directional overrides and isolate tenant text from its neighbours', () => {
    const html = render({ title: 'Status \u202Eexe.gnp', groups: [] });

    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
    expect(html).toContain('<h1><bdi>Status exe.gnp</bdi></h1>');
  });

  it.each([
    ['operational', 'All systems operational'],
    ['partial_outage', 'Partial outage'],
    ['major_outage', 'Major outage'],
  ] as const)('should show the %s banner', (status, description) => {
    const html = render({ status, description });

    expect(html).toContain(`<p class="banner ${status}" role="status">${description}</p>`);
  });

  it('should say so when the page lists no systems and no incident is open', () => {
    const html = render({ groups: [], status: 'no_data', description: 'No status data yet' });

    expect(html).toContain('No systems are listed on this page yet.');
    expect(html).toContain('No open incidents.');
  });

  it('should show hosts up and the floored 90-day uptime of each group', () => {
    const html = render({
      groups: [
        {
          name: 'Website',
          status: 'partial_outage',
          hosts: 4,
          online: 3,
          offline: 1,
          uptimePercent90d: 99.996,
        },
        { name: 'Batch', status: 'no_data', hosts: 0, online: 0, offline: 0, uptimePercent90d: null },
      ],
    });

    expect(html).toContain('<li class="group partial_outage"><span class="name"><bdi>Website</bdi></span>');
    expect(html).toContain('<dd>3 of 4</dd>');
    expect(html).toContain('<dd>99.99%</dd>');
    expect(html).toContain('<dd>none reporting</dd>');
    expect(html).toContain('<dd>—</dd>');
  });

  it('should show an incident with its severity, state, start in UTC and groups', () => {
    const html = render({
      incidents: {
        shown: true,
        available: true,
        truncated: true,
        items: [
          {
            title: 'Disk full',
            severity: 'warning',
            state: 'acknowledged',
            startedAt: '2030-01-15T09:05:00.000Z',
            groups: ['Website', 'API'],
          },
        ],
      },
    });

    expect(html).toContain('<span class="badge warning">Warning</span><bdi>Disk full</bdi>');
    expect(html).toContain(
      'Identified · since <time datetime="2030-01-15T09:05:00.000Z">15 Jan 2030, 09:05 UTC</time> · Affects <bdi>Website</bdi>, <bdi>API</bdi>',
    );
    expect(html).toContain('More incidents are open than listed here.');
  });

  it('should leave the incidents out when the tenant hides them, and say when they are unavailable', () => {
    expect(
      render({ incidents: { shown: false, available: true, truncated: false, items: [] } }),
    ).not.toContain('Open incidents');
    expect(render({ incidents: { shown: true, available: false, truncated: false, items: [] } })).toContain(
      'Incident information is unavailable right now.',
    );
  });

  it('should be a complete document with no script and no external asset', () => {
    const html = render();

    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
    expect(html).toContain('<a href="acme.json">JSON</a>');
    expect(html).toContain('Uptime is the share of hours');
  });
});

describe(renderNotFoundPage.name, () => {
  it('should name nothing about the slug asked for', () => {
    const html = renderNotFoundPage();

    expect(html).toContain('<h1>Status page not found</h1>');
    expect(html).not.toMatch(/<script/);
  });
});
