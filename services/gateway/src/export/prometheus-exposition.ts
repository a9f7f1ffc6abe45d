import { type ExportSeries, prometheusMetricName } from '@optralis/contracts';

/** What `GET /api/v1/export/prometheus` answers with: text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Labels every sample carries; a series label of the same name is renamed, as Prometheus does. */
export const RESERVED_LABELS = ['tenant', 'host', 'host_name'] as const;
const EXPORTED_PREFIX = 'exported_';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface ExpositionOptions {
  /** The `tenant` label of every sample: the tenant's slug. */
  tenant: string;
  /**
   * Put in front of every metric name. None by default, so `cpu.usage_pct` is `cpu_usage_pct` and a
   * series that came in by remote-write leaves under the name it came in with.
   */
  prefix?: string;
  /**
   * Write each sample's report time (ms). On by default: the values were observed when the host
   * reported, not when Prometheus scrapes, so a host that stops reporting ends its series instead of
   * repeating its last value at every scrape (what Prometheus's own `/federate` does too).
   */
  timestamps?: boolean;
}

export interface ExpositionStats {
  families: number;
  samples: number;
  /** Series whose name and labels equal an earlier one's once sanitised: the first one is kept. */
  duplicates: number;
  /** Series that came after their family was written; the input order did not group them. */
  outOfOrder: number;
}

/** One page of `rpc.ingest.export.latest`, in Prometheus metric name order. */
export interface ExpositionPage {
  series: readonly ExportSeries[];
}

/** `cpu.usage_pct` → `cpu_usage_pct`; a leading digit gets `_` in front (`1m` → `_1m`). */
export function sanitiseMetricName(name: string, prefix = ''): string {
  return `${prefix}${prometheusMetricName(name)}`;
}

/** Characters outside `[a-zA-Z0-9_]` become `_`; a leading digit gets `_`, a leading `__` `exported_`. */
export function sanitiseLabelName(name: string): string {
  let sanitised = name.replace(/[^a-zA-Z0-9_]/gu, '_');
  if (sanitised === '' || /^[0-9]/.test(sanitised)) sanitised = `_${sanitised}`;
  return sanitised.startsWith('__') ? `${EXPORTED_PREFIX}${sanitised}` : sanitised;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function isExposedLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/**
 * The series labels under exposable names. Labels whose names are already valid claim them first, the
 * others follow in string order; a name that is reserved or already taken gets `exported_` in front
 * until it is free. Empty values are left out (Prometheus treats them as absent).
 */
export function exposedLabels(labels: Readonly<Record<string, string>>): [string, string][] {
  const entries = Object.entries(labels).filter(([, value]) => value !== '');
  entries.sort(
    ([left], [right]) =>
      Number(!isExposedLabelName(left)) - Number(!isExposedLabelName(right)) ||
      (left < right ? -1 : left > right ? 1 : 0),
  );
  const taken = new Set<string>(RESERVED_LABELS);
  return entries.map(([raw, value]) => {
    let name = sanitiseLabelName(raw);
    while (taken.has(name)) name = `${EXPORTED_PREFIX}${name}`;
    taken.add(name);
    return [name, value];
  });
}

/** Gauge unless the name or labels belong to a counter, histogram or summary (keeps promtool's lint quiet). */
function familyType(name: string, labelNames: ReadonlySet<string>): 'gauge' | 'counter' | 'untyped' {
  if (labelNames.has('le') || labelNames.has('quantile') || /_(bucket|count|sum)$/.test(name)) {
    return 'untyped';
  }
  return name.endsWith('_total') ? 'counter' : 'gauge';
}

interface OpenFamily {
  name: string;
  sourceNames: Set<string>;
  labelNames: Set<string>;
  seen: Set<string>;
  lines: string[];
}

/**
 * Turns export rows into text exposition, page by page. Rows must come in the order of their
 * Prometheus names (as `rpc.ingest.export.latest` pages do), so each family is written once, whole,
 * as soon as the next one starts; only the family being read is held in memory.
 */
export class PrometheusExpositionWriter {
  readonly stats: ExpositionStats = { families: 0, samples: 0, duplicates: 0, outOfOrder: 0 };
  private readonly prefix: string;
  private readonly timestamps: boolean;
  private readonly written = new Set<string>();
  private family: OpenFamily | undefined;

  constructor(private readonly options: ExpositionOptions) {
    this.prefix = options.prefix ?? '';
    this.timestamps = options.timestamps ?? true;
    if (this.prefix !== '' && !METRIC_NAME.test(this.prefix)) {
      throw new Error(`metric name prefix ${JSON.stringify(this.prefix)} is not a valid metric name`);
    }
  }

  /** The text of the families these rows complete (possibly empty). */
  write(rows: Iterable<ExportSeries>): string {
    let text = '';
    for (const row of rows) {
      const name = sanitiseMetricName(row.name, this.prefix);
      if (this.written.has(name)) {
        this.stats.outOfOrder += 1;
        continue;
      }
      if (this.family?.name !== name) {
        text += this.flush();
        this.family = { name, sourceNames: new Set(), labelNames: new Set(), seen: new Set(), lines: [] };
      }
      this.add(this.family, row);
    }
    return text;
  }

  /** The text of the last family. */
  end(): string {
    return this.flush();
  }

  private add(family: OpenFamily, row: ExportSeries): void {
    const labels = exposedLabels(row.labels);
    labels.push(['host', row.hostId]);
    if (row.hostName !== '') labels.push(['host_name', row.hostName]);
    if (this.options.tenant !== '') labels.push(['tenant', this.options.tenant]);
    labels.sort(([left], [right]) => (left < right ? -1 : 1));
    const block = labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
    if (family.seen.has(block)) {
      this.stats.duplicates += 1;
      return;
    }
    family.seen.add(block);
    family.sourceNames.add(row.name);
    for (const [name] of labels) family.labelNames.add(name);
    const time = Date.parse(row.time);
    const timestamp = this.timestamps && Number.isFinite(time) ? ` ${time}` : '';
    family.lines.push(`${family.name}{${block}} ${formatSampleValue(row.value)}${timestamp}\n`);
  }

  private flush(): string {
    const family = this.family;
    this.family = undefined;
    if (!family) return '';
    this.written.add(family.name);
    this.stats.families += 1;
    this.stats.samples += family.lines.length;
    const help = `Latest value of ${[...family.sourceNames].join(', ')} reported to Optralis.`;
    return (
      `# HELP ${family.name} ${escapeHelp(help)}\n` +
      `# TYPE ${family.name} ${familyType(family.name, family.labelNames)}\n` +
      family.lines.join('')
    );
  }
}

/** Text exposition of export pages as they arrive, one chunk per page (the last family at the end). */
export async function* prometheusExposition(
  pages: AsyncIterable<ExpositionPage>,
  writer: PrometheusExpositionWriter,
): AsyncGenerator<string> {
  for await (const page of pages) {
    const text = writer.write(page.series);
    if (text !== '') yield text;
  }
  const tail = writer.end();
  if (tail !== '') yield tail;
}
