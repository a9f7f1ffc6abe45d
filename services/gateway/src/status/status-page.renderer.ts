import { escapeHtml, formatPercent, plainTenantText, tenantText, timeElement } from './html-text';
import type {
  PublicStatusGroup,
  PublicStatusIncident,
  PublicStatusPage,
  Status,
} from './public-status.schema';
import { STATUS_PAGE_CSS } from './status-page.styles';

const GROUP_STATES: Record<Status, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  no_data: 'No data',
};
const INCIDENT_STATES: Record<PublicStatusIncident['state'], string> = {
  firing: 'Investigating',
  acknowledged: 'Identified',
};
const SEVERITIES: Record<PublicStatusIncident['severity'], string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Notice',
};

function document(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${STATUS_PAGE_CSS}</style>`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

function group(item: PublicStatusGroup): string {
  const uptime = item.uptimePercent90d === null ? '—' : formatPercent(item.uptimePercent90d);
  const hosts = item.hosts === 0 ? 'none reporting' : `${item.online} of ${item.hosts}`;
  return [
    `<li class="group ${item.status}">`,
    `<span class="name">${tenantText(item.name)}</span>`,
    `<span class="state">${GROUP_STATES[item.status]}</span>`,
    '<dl class="facts">',
    `<div><dt>Hosts up</dt><dd>${hosts}</dd></div>`,
    `<div><dt>Uptime, 90 days</dt><dd>${uptime}</dd></div>`,
    '</dl>',
    '</li>',
  ].join('');
}

function incident(item: PublicStatusIncident): string {
  const affects = item.groups.length > 0 ? ` · Affects ${item.groups.map(tenantText).join(', ')}` : '';
  return [
    '<li class="incident">',
    `<p class="name"><span class="badge ${item.severity}">${SEVERITIES[item.severity]}</span>${tenantText(item.title)}</p>`,
    `<p class="meta">${INCIDENT_STATES[item.state]} · since ${timeElement(item.startedAt)}${affects}</p>`,
    '</li>',
  ].join('');
}

function incidentsSection(incidents: PublicStatusPage['incidents']): string {
  if (!incidents.shown) return '';
  const notes: string[] = [];
  if (!incidents.available) notes.push('Incident information is unavailable right now.');
  else if (incidents.items.length === 0) notes.push('No open incidents.');
  if (incidents.truncated) notes.push('More incidents are open than listed here.');
  const items = incidents.items.map(incident).join('');
  const body = [items, ...notes.map((note) => `<li class="note">${note}</li>`)].join('');
  return `<section aria-labelledby="incidents"><h2 id="incidents">Open incidents</h2><ul class="list">${body}</ul></section>`;
}

function groupsSection(groups: PublicStatusGroup[]): string {
  const body =
    groups.length > 0
      ? groups.map(group).join('')
      : '<li class="note">No systems are listed on this page yet.</li>';
  return `<section aria-labelledby="systems"><h2 id="systems">Systems</h2><ul class="list">${body}</ul></section>`;
}

/** The whole status page; every tenant-chosen string goes through `tenantText`. */
export function renderStatusPage(page: PublicStatusPage, links: { json: string }): string {
  const body = [
    `<header><h1>${tenantText(page.title)}</h1></header>`,
    `<p class="banner ${page.status}" role="status">${escapeHtml(page.description)}</p>`,
    incidentsSection(page.incidents),
    groupsSection(page.groups),
    '<footer>',
    `<p>${escapeHtml(page.uptimeMethod)}</p>`,
    `<p>Updated ${timeElement(page.generatedAt)}. Also as <a href="${escapeHtml(links.json)}">JSON</a>.</p>`,
    '</footer>',
  ].join('');
  return document(`${plainTenantText(page.title)} status`, body);
}

/** The same answer for an unknown address and a disabled page. */
export function renderNotFoundPage(): string {
  return document(
    'Status page not found',
    '<header><h1>Status page not found</h1></header><p>No public status page has this address.</p>',
  );
}
