import type { MetricsReport } from '@optralis/contracts';

export type ReadResult = { report: MetricsReport } | { error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a METRICS message checking only what evaluation relies on. Ingest validated the full schema before
 * publishing; a full zod pass per report would cost more than the evaluation itself at 3,000 reports/s.
 */
export function readReport(data: Uint8Array): ReadResult {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  if (!isRecord(body)) return { error: 'not an object' };
  for (const field of ['id', 'tenantId', 'hostId', 'hostName', 'time', 'receivedAt'] as const) {
    if (typeof body[field] !== 'string') return { error: `${field} must be a string` };
  }
  if (Number.isNaN(Date.parse(body.time as string))) return { error: 'time is not a timestamp' };
  if (Number.isNaN(Date.parse(body.receivedAt as string))) return { error: 'receivedAt is not a timestamp' };
  if (
    body.tags !== undefined &&
    !(Array.isArray(body.tags) && body.tags.every((tag) => typeof tag === 'string'))
  ) {
    return { error: 'tags must be strings' };
  }
  if (!Array.isArray(body.samples)) return { error: 'samples must be an array' };
  for (const [index, sample] of body.samples.entries()) {
    if (!isRecord(sample) || typeof sample.name !== 'string' || typeof sample.value !== 'number') {
      return { error: `samples[${index}] needs a name and a numeric value` };
    }
    if (sample.labels !== undefined && !isRecord(sample.labels)) return { error: `samples[${index}].labels` };
  }
  return { report: body as unknown as MetricsReport };
}
