import type { LogLevel } from '../config/agent-config';
import type { LogFields, Logger } from '../reporting/logger';

export type { Logger } from '../reporting/logger';

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** One JSON object per line (`{"time","level","message",…}`), what journald and log shippers read best. */
export class JsonLinesLogger implements Logger {
  constructor(
    private readonly output: { write(text: string): unknown },
    private level: LogLevel = 'info',
    private readonly now: () => Date = () => new Date(),
  ) {}

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  private write(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (SEVERITY[level] > SEVERITY[this.level]) return;
    const head = { time: this.now().toISOString(), level, message };
    // Assigned twice: the head keeps its place at the start and no field can overwrite it.
    const entry = Object.assign({ ...head }, fields, head);
    this.output.write(`${JSON.stringify(entry, errorsAsObjects)}\n`);
  }
}

function errorsAsObjects(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
