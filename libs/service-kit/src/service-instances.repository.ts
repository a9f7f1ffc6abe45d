import { hostname } from 'node:os';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DatabaseService } from '@optralis/db';
import { DataSource } from 'typeorm';

import { SERVICE_IDENTITY, type ServiceIdentity } from './service-identity';

/** Records this instance in its own schema once the database is ready, and its stop. */
@Injectable()
export class ServiceInstancesRepository implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ServiceInstancesRepository.name);
  private recorded = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseService,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  onApplicationBootstrap(): void {
    void this.database
      .whenReady()
      .then(() => this.record())
      .catch((error: unknown) =>
        this.logger.warn({ error: (error as Error).message }, 'instance not recorded'),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.recorded || !this.dataSource.isInitialized) return;
    await this.dataSource
      .query(
        `UPDATE "${this.identity.service}"."service_instances" SET "stopped_at" = now() WHERE "instance_id" = $1`,
        [this.identity.instanceId],
      )
      .catch(() => undefined);
  }

  private async record(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "${this.identity.service}"."service_instances" ("instance_id", "version", "hostname", "pid", "started_at")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("instance_id") DO NOTHING`,
      [this.identity.instanceId, this.identity.version, hostname(), process.pid, this.identity.startedAt],
    );
    this.recorded = true;
  }
}
