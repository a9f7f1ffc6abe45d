import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AlertChanged } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { JetStreamPublisher } from '@optralis/nats';
import { PeriodicTask } from '@optralis/service-kit';
import { DataSource } from 'typeorm';

const EVENTS_PER_ROUND = 500;

/**
 * Publishes `alerting.event_outbox` on ALERTS (`alerts.<tenant>.<severity>.<state>`) in id order and deletes
 * what JetStream acknowledged; rows are locked with SKIP LOCKED so several instances share the work. The
 * event id is the `Nats-Msg-Id`, so a re-publish after a crash is dropped by the stream.
 */
@Injectable()
export class AlertEventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEventRelay.name);
  private readonly task = new PeriodicTask('alert-event-relay', () => this.relay(), this.logger);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: JetStreamPublisher,
    private readonly database: DatabaseService,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(1000, { immediately: true }),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  wake(): void {
    void this.task.trigger();
  }

  runOnce(): Promise<number> {
    return this.task.runNow();
  }

  private async relay(): Promise<number> {
    let published = 0;
    for (;;) {
      const round = await this.dataSource.transaction(async (manager) => {
        const rows: { id: string; event: unknown }[] = await manager.query(
          `SELECT "id", "event" FROM "alerting"."event_outbox" ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [EVENTS_PER_ROUND],
        );
        const events = rows.flatMap((row) => {
          const parsed = AlertChanged.safeParse(row.event);
          if (parsed.success) return [parsed.data];
          this.logger.error(
            { id: row.id, issues: parsed.error.issues },
            'alert event does not match the contract',
          );
          return [];
        });
        await this.publisher.publishMany(
          'alerts.changed',
          events.map((event) => ({ payload: event, msgId: `alert-event-${event.id}` })),
          { validated: true },
        );
        const done = rows.map((row) => row.id);
        if (done.length > 0) {
          await manager.query(`DELETE FROM "alerting"."event_outbox" WHERE "id" = ANY($1::bigint[])`, [done]);
        }
        return done.length;
      });
      published += round;
      if (round < EVENTS_PER_ROUND) return published;
    }
  }
}
