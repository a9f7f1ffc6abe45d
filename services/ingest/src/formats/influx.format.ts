import { badRequest } from '../intake/intake.errors';
import { HostIdentities } from './host-identity';
import { parseLineProtocol, type LinePoint } from './influx.parser';
import { LABELS_PER_SAMPLE, labelProblem, setLabel, TOO_MANY_LABELS, type Labels } from './labels';
import { MetricNames } from './metric-name';
import { noneDropped, type NormaliseContext, type NormalisedRequest } from './normalise';
import { ReportBatch } from './report-batch';
import { TimeBounds } from './time-bounds';

export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's';

const HOST_TAG = 'host';
const INVENTORY_KEY_LENGTH = 128;
/** Digits dropped to reach milliseconds; seconds gain three instead. */
const SUBSECOND_DIGITS: Record<InfluxPrecision, number> = { ns: 6, us: 3, ms: 0, s: -3 };

/**
 * `POST /api/v2/write`: numeric fields become samples named `<measurement>.<field>`, string fields become
 * inventory entries, tags other than `host` become labels.
 */
export function normaliseInfluxLineProtocol(
  body: string,
  precision: InfluxPrecision,
  context: NormaliseContext,
): NormalisedRequest {
  const bounds = new TimeBounds(context);
  const batch = new ReportBatch('influx', context);
  const hosts = new HostIdentities();
  const names = new MetricNames();
  const dropped = noneDropped();

  parseLineProtocol(body, (point) => {
    const { host, labels } = splitTags(point);
    const time = point.timestamp === undefined ? bounds.now : milliseconds(point.timestamp, precision);
    const problem = bounds.problem(time);
    if (problem !== undefined) throw refuse(point, problem);
    const identity = hosts.of(host);
    for (let index = 0; index < point.fieldKeys.length; index++) {
      const key = `${point.measurement}.${point.fieldKeys[index]}`;
      const value = point.fieldValues[index];
      if (typeof value === 'string') {
        if (key.length > INVENTORY_KEY_LENGTH) dropped.invalidName++;
        else batch.addInventory(identity, time, key, value);
        continue;
      }
      if (!Number.isFinite(value)) {
        dropped.nonFinite++;
        continue;
      }
      const name = names.of(key);
      if (name === undefined) dropped.invalidName++;
      else batch.add(identity, time, labels === undefined ? { name, value } : { name, value, labels });
    }
  });
  return { reports: batch.reports(), dropped };
}

function splitTags(point: LinePoint): { host: string; labels: Labels | undefined } {
  let host: string | undefined;
  let labels: Labels | undefined;
  let count = 0;
  for (let index = 0; index < point.tagKeys.length; index++) {
    const key = point.tagKeys[index];
    const value = point.tagValues[index];
    if (key === HOST_TAG) {
      host = value;
      continue;
    }
    const problem = labelProblem(key, value);
    if (problem !== undefined) throw refuse(point, problem);
    labels ??= {};
    if (setLabel(labels, key, value) && ++count > LABELS_PER_SAMPLE) throw refuse(point, TOO_MANY_LABELS);
  }
  if (host === undefined) throw refuse(point, `missing tag "${HOST_TAG}", which names the host`);
  return { host, labels };
}

/** Exact for every precision: the digits are cut as text, never through a float of nanoseconds. */
function milliseconds(timestamp: string, precision: InfluxPrecision): number {
  const negative = timestamp.startsWith('-');
  const digits = negative ? timestamp.slice(1) : timestamp;
  const cut = SUBSECOND_DIGITS[precision];
  const whole = cut > 0 ? Number(digits.slice(0, -cut) || '0') : Number(digits) * 10 ** -cut;
  return negative ? -whole : whole;
}

function refuse(point: LinePoint, problem: string) {
  return badRequest(`line ${point.line}: ${problem}`, { line: point.line });
}
