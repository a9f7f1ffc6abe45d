import type { Sample } from '@optralis/contracts';

import type { LogFields, Logger } from '../logger';
import type { CycleContent, ReportSource } from '../report-source';

export interface LogLine {
  level: keyof Logger;
  message: string;
  fields?: LogFields;
}

export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];

  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }

  messages(level: keyof Logger): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

export function samples(count: number): Sample[] {
  return Array.from({ length: count }, (_, index) => ({
    name: 'test.cpu.usage_pct',
    value: index + 0.5,
    labels: { cpu: String(index) },
  }));
}

/** Gives `count` samples every cycle; `fail` makes next() throw. */
export class FakeSource implements ReportSource {
  calls = 0;
  fail = false;
  inventory: Record<string, unknown> | undefined;

  constructor(private readonly count = 5) {}

  async next(): Promise<CycleContent> {
    this.calls += 1;
    if (this.fail) throw new Error('collector exploded');
    const content: CycleContent = { metrics: samples(this.count) };
    if (this.inventory !== undefined) {
      content.inventory = this.inventory;
      this.inventory = undefined;
    }
    return content;
  }
}
