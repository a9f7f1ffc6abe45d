import { Logger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';

/** Routes TypeORM's own messages into the service's structured log instead of bare console lines. */
export class TypeormLogger implements OrmLogger {
  private readonly logger = new Logger(TypeormLogger.name);

  constructor(private readonly schema: string) {}

  logQuery(): void {}

  logQueryError(): void {}

  logSchemaBuild(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ schema: this.schema, durationMs: time, query }, 'slow query');
  }

  logMigration(message: string): void {
    this.logger.log({ schema: this.schema }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ schema: this.schema }, String(message));
    else this.logger.debug({ schema: this.schema }, String(message));
  }
}
