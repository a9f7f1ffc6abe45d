import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatabaseService } from '@optralis/db';
import { NatsConnectionService } from '@optralis/nats';
import { ReadinessRegistry } from '@optralis/observability';

/** /ready answers for NATS, Postgres and migrations alike. */
@Injectable()
export class ReadinessWiring implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly nats: NatsConnectionService,
    private readonly database: DatabaseService,
  ) {}

  onModuleInit(): void {
    this.registry.register(...this.nats.readinessChecks(), ...this.database.readinessChecks());
  }
}
