import type { DeliveryOutcome } from './delivery-outcome';

/** A Retry-After longer than this is a misconfigured server; waiting that long would look like a dead agent. */
const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;
const MAX_REASON_LENGTH = 300;

/** Statuses that say "not now" rather than "not this report". */
const RETRYABLE_CLIENT_STATUSES = new Set([404, 408, 425, 429]);

export interface ClassifiedResponse {
  status: number;
  retryAfter: string | null;
  body: string;
}

export function classifyResponse(response: ClassifiedResponse, now: number): DeliveryOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', ...acceptedCounts(response.body) };
  const reason = describe(response);
  if (status === 401 || status === 403) return { kind: 'unauthorized', reason, status };
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status) || status < 200) {
    const retryAfterMs = parseRetryAfter(response.retryAfter, now);
    return retryAfterMs === undefined
      ? { kind: 'retry', reason, status }
      : { kind: 'retry', reason, status, retryAfterMs };
  }
  if (status >= 400) return { kind: 'rejected', reason, status };
  return { kind: 'retry', reason: `unexpected answer: ${reason}`, status };
}

/** Retry-After in milliseconds from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const milliseconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(milliseconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(milliseconds)));
}

function acceptedCounts(body: string): { accepted: number; duplicates: number } {
  try {
    const parsed = JSON.parse(body) as { accepted?: unknown; duplicates?: unknown };
    return { accepted: count(parsed.accepted), duplicates: count(parsed.duplicates) };
  } catch {
    return { accepted: 0, duplicates: 0 };
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** "HTTP 400: metrics.3.value: must be a finite number", from a problem+json body when there is one. */
function describe(response: ClassifiedResponse): string {
  let detail = response.body.trim();
  try {
    const problem = JSON.parse(detail) as { title?: unknown; detail?: unknown };
    const text = [problem.title, problem.detail].filter((part) => typeof part === 'string').join(': ');
    if (text !== '') detail = text;
  } catch {
    // not JSON: keep the text
  }
  const prefix = `HTTP ${response.status}`;
  return detail === '' ? prefix : `${prefix}: ${detail.slice(0, MAX_REASON_LENGTH)}`;
}
