import { Labels, MetricName, type Sample } from '@optralis/contracts/agent';

import { seriesKey } from '../daemon/series-key';

export const PLUGIN_LABEL = 'plugin';
/** The agent's own metrics; a plugin must not be able to fake them. */
export const RESERVED_PREFIX = 'agent.';
const KEPT_REJECTIONS = 20;
const QUOTED_CHARACTERS = 200;

export interface RejectedLine {
  line: number;
  text: string;
  reason: string;
}

/**
 * Turns a plugin's stdout, one JSON object per line, into contract-valid samples. Every sample gets a `plugin` label,
 * so a plugin's series never merge with a collector's or another plugin's of the same name.
 */
export class PluginOutputParser {
  readonly samples: Sample[] = [];
  /** The first few rejections with their reasons; `rejectedCount` counts all of them. */
  readonly rejected: RejectedLine[] = [];
  rejectedCount = 0;
  private lineNumber = 0;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly plugin: string,
    private readonly maxSamples: number,
  ) {}

  line(text: string): void {
    this.lineNumber += 1;
    if (text.trim() === '') return;
    const parsed = this.parse(text);
    if (typeof parsed === 'string') {
      this.reject(text, parsed);
      return;
    }
    const key = seriesKey(parsed);
    const earlier = this.seen.get(key);
    if (earlier !== undefined) return this.reject(text, `same name and labels as line ${earlier}`);
    if (this.samples.length >= this.maxSamples)
      return this.reject(text, `more than ${this.maxSamples} samples in one run`);
    this.seen.set(key, this.lineNumber);
    this.samples.push(parsed);
  }

  private parse(text: string): Sample | string {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return 'not JSON';
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
    const { name, value: number, labels } = value as Record<string, unknown>;
    const nameCheck = MetricName.safeParse(name);
    if (!nameCheck.success)
      return `name: ${typeof name === 'string' ? nameCheck.error.issues[0].message : 'missing'}`;
    if (nameCheck.data.startsWith(RESERVED_PREFIX))
      return `name: "${RESERVED_PREFIX}" is reserved for the agent's own metrics`;
    if (typeof number !== 'number') return 'value: must be a number';
    if (!Number.isFinite(number)) return 'value: must be a finite number';
    return this.labels(labels, nameCheck.data, number);
  }

  private labels(raw: unknown, name: string, value: number): Sample | string {
    if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw)))
      return 'labels: must be an object of strings';
    const given = (raw ?? {}) as Record<string, unknown>;
    if (PLUGIN_LABEL in given) return `labels.${PLUGIN_LABEL}: is set by the agent`;
    for (const [key, label] of Object.entries(given)) {
      if (typeof label !== 'string') return `labels.${key.slice(0, 64)}: must be a string`;
    }
    const labels = { ...(given as Record<string, string>), [PLUGIN_LABEL]: this.plugin };
    const check = Labels.safeParse(labels);
    if (!check.success) {
      const issue = check.error.issues[0];
      return `labels${issue.path.length > 0 ? `.${issue.path.map(String).join('.').slice(0, 64)}` : ''}: ${issue.message}`;
    }
    return { name, value, labels };
  }

  private reject(text: string, reason: string): void {
    this.rejectedCount += 1;
    if (this.rejected.length < KEPT_REJECTIONS) {
      const quoted = text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}…` : text;
      this.rejected.push({ line: this.lineNumber, text: quoted, reason });
    }
  }
}
