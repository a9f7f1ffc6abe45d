const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Embeddings, overrides and isolates: stripped so a name cannot make the page read other than it is. */
const DIRECTIONAL_FORMATTING = /[\u202A-\u202E\u2066-\u2069]/gu;

/** Text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

/** Text a tenant or its alert rules chose, escaped and without directional controls (for `<title>`). */
export function plainTenantText(value: string): string {
  return escapeHtml(value.replace(DIRECTIONAL_FORMATTING, ''));
}

/** Tenant-chosen text in the body: also isolated from its neighbours' direction. */
export function tenantText(value: string): string {
  return `<bdi>${plainTenantText(value)}</bdi>`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `<time>` in UTC: the page has no script to show the visitor's zone. */
export function timeElement(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(DATE_TIME.format(new Date(iso)))} UTC</time>`;
}

/** Floored to 0.01, so 100% is never a rounded 99.996%. */
export function formatPercent(value: number): string {
  return value >= 100 ? '100%' : `${(Math.floor(value * 100) / 100).toFixed(2)}%`;
}
