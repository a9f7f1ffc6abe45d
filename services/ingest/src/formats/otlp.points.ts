import { badRequest } from '../intake/intake.errors';
import type { HostIdentity } from './host-identity';
import { int64ToNumber, nanosecondsToMilliseconds, type Int64 } from './int64';
import { LABELS_PER_SAMPLE, labelProblem, setLabel, TOO_MANY_LABELS, type Labels } from './labels';
import type { MetricNames } from './metric-name';
import type { Dropped } from './normalise';
import { attributeText } from './otlp.attributes';
import type {
  OtlpExponentialHistogramPoint,
  OtlpHistogramPoint,
  OtlpKeyValue,
  OtlpMetric,
  OtlpNumberPoint,
  OtlpSummaryPoint,
} from './otlp.decoder';
import type { ReportBatch } from './report-batch';
import type { TimeBounds } from './time-bounds';

/** Where the points of one resource go. */
export interface PointTarget {
  host: HostIdentity;
  /** Resource `service.name`, added as a label unless the point has its own. */
  service: string | undefined;
  /** Timestamps used, so that the resource's inventory can join each report. */
  times: Set<number>;
}

interface Unit {
  multiplier: number;
  /** Dividing rather than multiplying by 1e-3 keeps 10 ms at exactly 0.01 s. */
  divisor: number;
  label: string | undefined;
}

/** OTLP (UCUM) time units → seconds. */
const TIME_UNITS: Record<string, Unit> = {
  ns: { multiplier: 1, divisor: 1e9, label: 's' },
  us: { multiplier: 1, divisor: 1e6, label: 's' },
  ms: { multiplier: 1, divisor: 1e3, label: 's' },
  s: { multiplier: 1, divisor: 1, label: 's' },
  min: { multiplier: 60, divisor: 1, label: 's' },
  h: { multiplier: 3600, divisor: 1, label: 's' },
  d: { multiplier: 86_400, divisor: 1, label: 's' },
};
const NO_RECORDED_VALUE = 1;
const SERVICE_LABEL = 'service.name';

/** Turns OTLP data points into samples: one per gauge/sum point, several per histogram and summary point. */
export class OtlpPoints {
  private target!: PointTarget;
  private lastNanoseconds: Int64 | undefined;
  private lastMilliseconds = 0;

  constructor(
    private readonly bounds: TimeBounds,
    private readonly batch: ReportBatch,
    private readonly names: MetricNames,
    private readonly dropped: Dropped,
  ) {}

  metric(metric: OtlpMetric, target: PointTarget, path: string): void {
    this.target = target;
    const name = this.names.of(metric.name);
    const data = metric.data;
    if (data === undefined) return;
    const points = metric[data]?.dataPoints ?? [];
    if (name === undefined) {
      this.dropped.invalidName += points.length;
      return;
    }
    const unit = unitOf(metric.unit);
    const unitProblem = unit.label === undefined ? undefined : labelProblem('unit', unit.label);
    if (unitProblem !== undefined) throw refuse(path, unitProblem);
    for (let index = 0; index < points.length; index++) {
      const point = points[index];
      const where = `${path}.${data}.dataPoints.${index}`;
      if ((point.flags & NO_RECORDED_VALUE) !== 0) {
        this.dropped.nonFinite++;
        continue;
      }
      const at: At = {
        time: this.time(point.timeUnixNano, where),
        labels: this.labels(point.attributes, where),
        unit,
        where,
      };
      switch (data) {
        case 'gauge':
        case 'sum':
          this.number(name, point as OtlpNumberPoint, at);
          break;
        case 'summary':
          this.summary(name, point as OtlpSummaryPoint, at);
          break;
        default:
          this.histogram(name, point as OtlpHistogramPoint, at, data === 'histogram');
      }
    }
  }

  private number(name: string, point: OtlpNumberPoint, at: At): void {
    if (point.value === undefined) {
      this.dropped.nonFinite++;
      return;
    }
    const value = point.value === 'asInt' ? int64ToNumber(point.asInt ?? 0) : (point.asDouble ?? 0);
    this.emit(name, scale(value, at.unit), withUnit(at), at);
  }

  /** Histograms and exponential histograms: count, sum, min, max; explicit buckets as cumulative `le` series. */
  private histogram(
    name: string,
    point: OtlpHistogramPoint | OtlpExponentialHistogramPoint,
    at: At,
    explicit: boolean,
  ): void {
    const unit = at.unit;
    const unitLabels = withUnit(at);
    this.emit(`${name}.count`, int64ToNumber(point.count), at.labels, at);
    if (point.sum != null) this.emit(`${name}.sum`, scale(point.sum, unit), unitLabels, at);
    if (point.min != null) this.emit(`${name}.min`, scale(point.min, unit), unitLabels, at);
    if (point.max != null) this.emit(`${name}.max`, scale(point.max, unit), unitLabels, at);
    if (!explicit) return;
    const { bucketCounts, explicitBounds } = point as OtlpHistogramPoint;
    if (bucketCounts.length === 0) return;
    if (bucketCounts.length !== explicitBounds.length + 1) {
      throw badRequest(
        `${at.where}: ${bucketCounts.length} bucket counts for ${explicitBounds.length} explicit bounds (expected one more count than bounds)`,
        { field: at.where },
      );
    }
    let cumulative = 0;
    for (let index = 0; index < bucketCounts.length; index++) {
      cumulative += int64ToNumber(bucketCounts[index]);
      const bound = index < explicitBounds.length ? boundText(scale(explicitBounds[index], unit)) : '+Inf';
      this.emit(`${name}.bucket`, cumulative, this.extend(unitLabels, 'le', bound, at.where), at);
    }
  }

  private summary(name: string, point: OtlpSummaryPoint, at: At): void {
    const unitLabels = withUnit(at);
    this.emit(`${name}.count`, int64ToNumber(point.count), at.labels, at);
    this.emit(`${name}.sum`, scale(point.sum, at.unit), unitLabels, at);
    for (const quantile of point.quantileValues) {
      const labels = this.extend(unitLabels, 'quantile', String(quantile.quantile), at.where);
      this.emit(name, scale(quantile.value, at.unit), labels, at);
    }
  }

  private emit(name: string, value: number, labels: Labels | undefined, at: At): void {
    if (!Number.isFinite(value)) {
      this.dropped.nonFinite++;
      return;
    }
    const clean = this.names.of(name);
    if (clean === undefined) {
      this.dropped.invalidName++;
      return;
    }
    this.batch.add(
      this.target.host,
      at.time,
      labels === undefined ? { name: clean, value } : { name: clean, value, labels },
    );
    this.target.times.add(at.time);
  }

  /** Point attributes, plus the service name and the unit; each checked against the label limits. */
  private labels(attributes: OtlpKeyValue[], where: string): Labels | undefined {
    const service = this.target.service;
    if (attributes.length === 0 && service === undefined) return undefined;
    const labels: Labels = {};
    let count = 0;
    for (const attribute of attributes) {
      const value = attributeText(attribute.value);
      const problem = labelProblem(attribute.key, value);
      if (problem !== undefined) throw refuse(where, problem);
      if (setLabel(labels, attribute.key, value) && ++count > LABELS_PER_SAMPLE)
        throw refuse(where, TOO_MANY_LABELS);
    }
    if (service !== undefined && !Object.hasOwn(labels, SERVICE_LABEL)) {
      labels[SERVICE_LABEL] = service;
      if (++count > LABELS_PER_SAMPLE) throw refuse(where, TOO_MANY_LABELS);
    }
    return labels;
  }

  private extend(labels: Labels | undefined, key: string, value: string, where: string): Labels {
    const extended: Labels = { ...labels };
    extended[key] = value;
    if (Object.keys(extended).length > LABELS_PER_SAMPLE) throw refuse(where, TOO_MANY_LABELS);
    return extended;
  }

  private time(nanoseconds: Int64, where: string): number {
    if (this.lastNanoseconds !== undefined && sameInt64(nanoseconds, this.lastNanoseconds))
      return this.lastMilliseconds;
    const milliseconds = isZero(nanoseconds) ? this.bounds.now : nanosecondsToMilliseconds(nanoseconds);
    const problem = this.bounds.problem(milliseconds);
    if (problem !== undefined) throw refuse(where, problem);
    this.lastNanoseconds = nanoseconds;
    this.lastMilliseconds = milliseconds;
    return milliseconds;
  }
}

interface At {
  time: number;
  labels: Labels | undefined;
  unit: Unit;
  where: string;
}

function withUnit(at: At): Labels | undefined {
  if (at.unit.label === undefined) return at.labels;
  const labels: Labels = { ...at.labels, unit: at.unit.label };
  if (Object.keys(labels).length > LABELS_PER_SAMPLE) throw refuse(at.where, TOO_MANY_LABELS);
  return labels;
}

function unitOf(unit: string): Unit {
  if (Object.hasOwn(TIME_UNITS, unit)) return TIME_UNITS[unit];
  return { multiplier: 1, divisor: 1, label: unit === '' || unit === '1' ? undefined : unit };
}

function scale(value: number, unit: Unit): number {
  return (value * unit.multiplier) / unit.divisor;
}

function boundText(bound: number): string {
  if (bound === Infinity) return '+Inf';
  if (bound === -Infinity) return '-Inf';
  return String(bound);
}

function isZero(value: Int64): boolean {
  return typeof value === 'number' ? value === 0 : value.low === 0 && value.high === 0;
}

function sameInt64(left: Int64, right: Int64): boolean {
  if (typeof left === 'number' || typeof right === 'number') return left === right;
  return left.low === right.low && left.high === right.high;
}

function refuse(where: string, problem: string) {
  return badRequest(`${where}: ${problem}`, { field: where });
}
