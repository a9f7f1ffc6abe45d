import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATABASE_OPTIONS, DatabaseOptions } from './data-source';
import { describeError } from './describe-error';
import { runMigrationsLocked } from './migrations';
import { detectTimescale, TimescaleSupport } from './timescale';

/** Same shape as the observability library's check, kept structural so neither imports the other. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const POSTGRES_CHECK_TIMEOUT_MS = 2_000;
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;
const SHUTDOWN_WAIT_MS = 5_000;

@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private readonly ready: Promise<void>;
  private settleReady!: { resolve(): void; reject(error: Error): void };
  private startup: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private stopping = false;
  private migrated = false;
  private connectError: string | undefined;
  private migrationError: string | undefined;
  timescale: TimescaleSupport = { available: false, installed: false };

  constructor(
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
    private readonly dataSource: DataSource,
  ) {
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    // Nobody may be waiting when shutdown rejects it; that must not be an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  onModuleInit(): void {
    // Not awaited: the service starts, reports not-ready, and keeps trying in the background.
    this.startup = this.connectAndMigrate();
  }

  /** Resolves once the schema is connected and migrated; rejects if the service stops first. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      { name: 'postgres', check: () => this.checkPostgres() },
      { name: 'migrations', check: async () => this.checkMigrations() },
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await Promise.race([
      this.startup,
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
    ]);
    this.settleReady.reject(new Error('database service stopped before it was ready'));
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async connectAndMigrate(): Promise<void> {
    const { schema } = this.options;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.connect();
        await runMigrationsLocked(this.dataSource, { schema, logger: this.logger });
        this.timescale = await detectTimescale(this.dataSource);
        this.migrated = true;
        this.migrationError = undefined;
        this.logger.log({ schema, timescale: this.timescale }, 'database ready');
        this.settleReady.resolve();
        return;
      } catch (error) {
        this.migrationError = describeError(error);
        const delayMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
        this.logger.warn(
          { schema, attempt, delayMs, reason: this.migrationError },
          'database not ready, retrying',
        );
        await this.sleep(delayMs);
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.dataSource.isInitialized) return;
    try {
      await this.dataSource.initialize();
      this.connectError = undefined;
    } catch (error) {
      this.connectError = describeError(error);
      throw error;
    }
  }

  private async checkPostgres(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error(this.connectError ?? 'not connected yet');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`SELECT 1 timed out after ${POSTGRES_CHECK_TIMEOUT_MS} ms`)),
        POSTGRES_CHECK_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
    } catch (error) {
      throw new Error(describeError(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private checkMigrations(): void {
    if (!this.migrated) throw new Error(`migrations pending: ${this.migrationError ?? 'not started yet'}`);
  }

  private sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, delayMs);
      function wake(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = wake;
    });
  }
}
