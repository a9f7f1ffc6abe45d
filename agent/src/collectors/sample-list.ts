import type { Sample } from '@optralis/contracts/agent';

import { labelValue } from './label-value';

/** Collects samples, dropping any value that is not a finite number and sanitising label values. */
export class SampleList {
  readonly samples: Sample[] = [];

  add(name: string, value: number | undefined, labels?: Record<string, string>): void {
    if (value === undefined || !Number.isFinite(value)) return;
    // Three decimals are more than any gauge here is accurate to, and keep reports small.
    const rounded = Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
    if (!labels) {
      this.samples.push({ name, value: rounded });
      return;
    }
    const safe: Record<string, string> = {};
    for (const [key, raw] of Object.entries(labels)) safe[key] = labelValue(raw);
    this.samples.push({ name, value: rounded, labels: safe });
  }
}
