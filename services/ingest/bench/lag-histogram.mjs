// End-to-end lag from the ingest service's own Prometheus histogram: the bucket counts are read before
// and after a run, and quantiles come from the differences (as PromQL histogram_quantile does).

/** Intake received → samples committed (the end-to-end lag). */
export const LAG_METRIC = 'ingest_end_to_end_lag_seconds';
/** Report time (here: the time it was due to be sent) → samples committed. */
export const REPORT_AGE_METRIC = 'ingest_report_age_at_commit_seconds';

/** Fetches `/metrics` text; undefined when the service does not answer. */
export async function fetchMetricsText(baseUrl) {
  try {
    const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cumulative buckets of histogram `name`, summed over all its label sets: a Map from the upper
 * bound (Infinity for +Inf) to the count. Undefined when the metric is absent.
 */
export function parseHistogram(text, name) {
  if (!text) return undefined;
  const buckets = new Map();
  const prefix = `${name}_bucket`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const match = /le="([^"]+)"[^}]*\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const bound = match[1] === '+Inf' ? Infinity : Number(match[1]);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets.size > 0 ? buckets : undefined;
}

/** Bucket counts observed between two readings (missing buckets in `before` count as 0). */
export function histogramDelta(before, after) {
  if (!after) return undefined;
  const delta = new Map();
  for (const [bound, count] of [...after].sort((a, b) => a[0] - b[0])) {
    delta.set(bound, count - (before?.get(bound) ?? 0));
  }
  return delta;
}

/** Number of observations in a (cumulative) bucket map. */
export function histogramCount(buckets) {
  return buckets?.get(Infinity) ?? 0;
}

/**
 * The q-quantile (0..1) in seconds, interpolating linearly inside the bucket that holds it. When it
 * falls in the +Inf bucket, the largest finite bound is returned with `above: true`.
 */
export function histogramQuantile(buckets, q) {
  const total = histogramCount(buckets);
  if (!total) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return { seconds: lowerBound, above: true };
      const inBucket = count - lowerCount;
      const fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1;
      return { seconds: lowerBound + (bound - lowerBound) * fraction, above: false };
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return undefined;
}

/** Quantiles of histogram `name` between two /metrics texts, as the report table shows them. */
export function lagBetween(name, beforeText, afterText) {
  const delta = histogramDelta(parseHistogram(beforeText, name), parseHistogram(afterText, name));
  const count = histogramCount(delta);
  if (!delta) return { source: `${name} missing`, note: 'not in /metrics' };
  if (!count) return { source: `${name} (no observations)`, note: 'no observations' };
  const quantile = (q) => {
    const { seconds, above } = histogramQuantile(delta, q);
    return { ms: seconds * 1000, above };
  };
  return { source: `${name} (${count.toLocaleString('en')} obs.)`, p50: quantile(0.5), p99: quantile(0.99) };
}
