import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseService, describeError } from '@optralis/db';
import { JetStreamPublisher } from '@optralis/nats';

import { EventOutboxRepository } from './event-outbox.repository';
import { PeriodicTask } from '@optralis/service-kit';
import { SqlSessions } from './sql-session.repository';
import { StorageMetrics } from './storage.metrics';

const RELAY_INTERVAL_MS = 1_000;
const EVENTS_PER_ROUND = 500;
const LOCK = 'event-relay';
const PUBLISH_TIMEOUT_MS = 5_000;

export interface RelayRun {
  published: number;
  failed: boolean;
}

/**
 * Publishes `ingest.event_outbox` to the EVENTS stream in id order, one instance at a time (advisory lock),
 * and deletes what JetStream acknowledged. A failed publish leaves the rows for the next run: the
 * `Nats-Msg-Id` makes the re-publish of anything that did get through a no-op.
 */
@Injectable()
export class EventRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventRelayService.name);
  private readonly task = new PeriodicTask('event-relay', () => this.relay(), this.logger);

  constructor(
    private readonly sessions: SqlSessions,
    private readonly outbox: EventOutboxRepository,
    private readonly publisher: JetStreamPublisher,
    private readonly database: DatabaseService,
    private readonly metrics: StorageMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(RELAY_INTERVAL_MS, { immediately: true }),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Stops the timer and waits for a run in progress; `runOnce` still works (tests drive the relay by hand). */
  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Asks for a run soon (after a write that raised events); never waits for it and never throws. */
  wake(): void {
    void this.task.trigger();
  }

  /** Runs until the outbox is empty or a publish fails (for tests and on demand). */
  runOnce(): Promise<RelayRun> {
    return this.task.runNow();
  }

  private async relay(): Promise<RelayRun> {
    const run: RelayRun = { published: 0, failed: false };
    for (;;) {
      const round = await this.round();
      run.published += round.published;
      if (round.failed) return { ...run, failed: true };
      if (round.published < EVENTS_PER_ROUND) return run;
    }
  }

  private async round(): Promise<RelayRun> {
    let failure: { ids: string[]; reason: string } | undefined;
    const result = await this.sessions.lockedTransaction(LOCK, async (session) => {
      const events = await this.outbox.oldest(session, EVENTS_PER_ROUND);
      if (events.length === 0) return 0;
      try {
        await withTimeout(
          this.publisher.publishMany(
            'host.event',
            events.map((event) => ({ payload: event.payload, msgId: event.msgId })),
            { timeoutMs: PUBLISH_TIMEOUT_MS },
          ),
          2 * PUBLISH_TIMEOUT_MS,
        );
      } catch (error) {
        failure = { ids: events.map((event) => event.id), reason: describeError(error) };
        return 0;
      }
      await this.outbox.remove(
        session,
        events.map((event) => event.id),
      );
      return events.length;
    });
    if (failure) {
      const { ids, reason } = failure;
      this.metrics.eventFailures.inc();
      this.logger.warn({ events: ids.length, reason }, 'host events not published, retrying later');
      await this.sessions.transaction((session) => this.outbox.recordFailure(session, ids, reason));
      return { published: 0, failed: true };
    }
    const published = result.locked ? result.value : 0;
    this.metrics.eventsPublished.inc(published);
    return { published, failed: false };
  }
}

/** NATS may be unreachable before the first connect, where a publish would wait for ever. */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no JetStream ack within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
