import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DatabaseService } from '@optralis/db';
import { PeriodicTask } from '@optralis/service-kit';

import { ALERTING_CONFIG } from '../alerting.config.provider';
import type { AlertingConfig } from '../config';
import type { DeliveryWaker } from '../shared/ports';
import { DeliveryAttempts } from './delivery-attempts.service';
import { type ClaimedDelivery, DeliveryRepository } from './delivery.repository';

const POLL_INTERVAL_MS = 500;

/**
 * The outbox worker: every 500 ms, and whenever woken after a commit, leases due deliveries up to the
 * free concurrency and sends them side by side, so a channel that hangs holds one slot, not the queue.
 */
@Injectable()
export class DeliveryDispatcher implements DeliveryWaker, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly task = new PeriodicTask('delivery-dispatch', () => this.claim(), this.logger);
  private readonly inFlight = new Set<Promise<void>>();
  /** The last claim filled every free slot: more may be due as soon as one frees. */
  private backlog = false;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly attempts: DeliveryAttempts,
    private readonly database: DatabaseService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(POLL_INTERVAL_MS, { immediately: true }),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
    // Sends in flight end within their timeout; what does not is picked up again once its lease runs out.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise(
        (resolve) => (timer = setTimeout(resolve, this.config.ALERTING_DELIVERY_TIMEOUT_MS + 1000)),
      ),
    ]);
    clearTimeout(timer);
  }

  /** Looks for due deliveries now (call after committing new ones); never waits and never throws. */
  wake(): void {
    void this.task.trigger();
  }

  private async claim(): Promise<number> {
    const room = this.config.ALERTING_DELIVERY_CONCURRENCY - this.inFlight.size;
    if (room <= 0) {
      this.backlog = true;
      return 0;
    }
    const claimed = await this.repository.claimDue(room, this.config.ALERTING_DELIVERY_TIMEOUT_MS * 2);
    this.backlog = claimed.length === room;
    for (const delivery of claimed) this.start(delivery);
    return claimed.length;
  }

  private start(delivery: ClaimedDelivery): void {
    const work: Promise<void> = this.attempts
      .run(delivery)
      .then((dueInMs) => {
        // A retry due before the next poll is looked for when it is due, not up to a poll later.
        if (dueInMs !== null && dueInMs < POLL_INTERVAL_MS) setTimeout(() => this.wake(), dueInMs).unref();
      })
      .catch((error: unknown) =>
        this.logger.error(
          { deliveryId: delivery.id, error: (error as Error).message },
          'delivery attempt not recorded; it is retried once its lease runs out',
        ),
      )
      .finally(() => {
        this.inFlight.delete(work);
        if (this.backlog) this.wake();
      });
    this.inFlight.add(work);
  }
}
