import { Logger } from '@nestjs/common';
import type { DeadLetter, StreamDefinition } from '@optralis/contracts';
import type { ConsumerMessages, JsMsg } from 'nats';
import type { z } from 'zod';

import { decodeJson } from './codec';
import type { ConsumerOptions } from './jetstream.consumer-runner';
import type { JetStreamMessageInfo } from './jetstream.context';
import { consumeDurable, deadLetter, describeSchemaFailure, messageInfo } from './jetstream.settlement';
import type { NatsConnectionService } from './nats-connection.service';
import { backoffDelay, isOutcome, type Outcome } from './outcome';

export interface BatchConsumerOptions extends ConsumerOptions {
  /** A batch is handed over once it holds this many messages… */
  batchSize: number;
  /** …or this long after its first message arrived, whichever comes first. */
  maxWaitMs: number;
  /** Batches handled at once by this instance. */
  concurrency?: number;
}

export interface BatchItem<T = unknown> {
  payload: T;
  info: JetStreamMessageInfo;
}

/** One outcome for the whole batch, or one per item in the order given. */
export type BatchOutcome = Outcome | Outcome[];
export type BatchHandler = (items: BatchItem[]) => Promise<BatchOutcome | void>;

const DEFAULTS = {
  maxDeliver: 5,
  ackWaitMs: 60_000,
  concurrency: 1,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  deliverPolicy: 'all',
  drainTimeoutMs: 10_000,
} as const;

interface Pending {
  message: JsMsg;
  item: BatchItem;
}

/**
 * A durable pull consumer that hands messages over in batches (by count and time) and settles each
 * batch only after its handler returned, so a crash mid-batch leaves the whole batch to redelivery.
 */
export class JetStreamBatchConsumerRunner {
  private readonly logger: Logger;
  private readonly settings: Required<Omit<BatchConsumerOptions, 'filterSubjects'>> &
    Pick<BatchConsumerOptions, 'filterSubjects'>;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private readonly running = new Set<Promise<void>>();
  private readonly side = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly stream: StreamDefinition,
    private readonly schema: z.ZodType,
    private readonly handler: BatchHandler,
    options: BatchConsumerOptions,
  ) {
    const concurrency = options.concurrency ?? DEFAULTS.concurrency;
    this.settings = {
      ...DEFAULTS,
      ...options,
      concurrency,
      maxInFlight: options.maxInFlight ?? options.batchSize * (concurrency + 1),
    };
    this.logger = new Logger(`JetStreamBatchConsumer:${options.durable}`);
  }

  get streamName(): string {
    return this.nats.namespace.streamName(this.stream.name);
  }

  async start(): Promise<void> {
    this.messages = await consumeDurable({
      nats: this.nats,
      streamName: this.streamName,
      durable: this.settings.durable,
      filterSubjects: this.settings.filterSubjects ?? [],
      maxDeliver: this.settings.maxDeliver,
      ackWaitMs: this.settings.ackWaitMs,
      maxInFlight: this.settings.maxInFlight,
      deliverPolicy: this.settings.deliverPolicy,
      pullSize: Math.min(this.settings.maxInFlight, 10_000),
    });
    this.loop = this.run(this.messages);
    this.logger.log({ stream: this.streamName, batchSize: this.settings.batchSize }, 'consuming in batches');
  }

  /** Stops pulling, gives buffered messages back at once, and waits for the batches in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.messages?.stop();
    clearTimeout(this.timer);
    for (const entry of this.pending.splice(0)) entry.message.nak();
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      deadlineTimer = setTimeout(resolve, this.settings.drainTimeoutMs);
    });
    await Promise.race([Promise.all([this.loop, ...this.running, ...this.side]), deadline]);
    clearTimeout(deadlineTimer);
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      if (this.stopped) break;
      const item = this.accept(message);
      if (!item) continue;
      this.pending.push({ message, item });
      if (this.pending.length === 1) this.armTimer();
      if (this.pending.length >= this.settings.batchSize) this.dispatch();
      // Back pressure: stop pulling while every batch slot is busy and a full batch waits.
      while (
        this.running.size >= this.settings.concurrency &&
        this.pending.length >= this.settings.batchSize
      ) {
        await Promise.race(this.running);
      }
    }
  }

  /** Undecodable or invalid messages are dead-lettered one by one and never reach the handler. */
  private accept(message: JsMsg): BatchItem | undefined {
    const decoded = decodeJson(message.data);
    const parsed = decoded.ok ? this.schema.safeParse(decoded.value) : undefined;
    let reason: string | undefined;
    if (!decoded.ok) reason = decoded.reason;
    else if (parsed && !parsed.success) reason = describeSchemaFailure(parsed.error);
    else if (message.info.deliveryCount > this.settings.maxDeliver)
      reason = `delivered ${message.info.deliveryCount} times without being handled`;
    if (reason !== undefined) {
      const cause: DeadLetter['kind'] = decoded.ok && parsed?.success ? 'exhausted' : 'invalid';
      this.track(this.toDeadLetter(message, cause, reason));
      return undefined;
    }
    return { payload: parsed!.data, info: messageInfo(this.nats, message) };
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dispatch(), this.settings.maxWaitMs);
  }

  private dispatch(): void {
    while (this.pending.length > 0 && this.running.size < this.settings.concurrency) {
      const batch = this.pending.splice(0, this.settings.batchSize);
      const work = this.handle(batch).finally(() => {
        this.running.delete(work);
        if (this.pending.length >= this.settings.batchSize || (this.pending.length > 0 && !this.timer))
          this.dispatch();
      });
      this.running.add(work);
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) this.armTimer();
  }

  private async handle(batch: Pending[]): Promise<void> {
    // A long write (a slow or recovering database) must not let the ack deadline pass mid-batch.
    const heartbeat = setInterval(
      () => batch.forEach((entry) => entry.message.working()),
      Math.max(100, Math.floor(this.settings.ackWaitMs / 3)),
    );
    let outcomes: Outcome[];
    try {
      outcomes = await this.invoke(batch);
    } finally {
      clearInterval(heartbeat);
    }
    await Promise.all(
      batch.map(async (entry, index) => {
        try {
          await this.settle(entry.message, outcomes[index]);
        } catch (error) {
          this.logger.error(
            { error: (error as Error).message, sequence: entry.message.seq },
            'could not settle',
          );
          entry.message.nak(this.settings.backoffMaxMs);
        }
      }),
    );
  }

  private async invoke(batch: Pending[]): Promise<Outcome[]> {
    try {
      const result = await this.handler(batch.map((entry) => entry.item));
      if (Array.isArray(result)) {
        if (result.length !== batch.length || !result.every(isOutcome))
          throw new Error(`handler returned ${result.length} outcomes for ${batch.length} messages`);
        return result;
      }
      const outcome = isOutcome(result) ? result : { kind: 'done' as const };
      return batch.map(() => outcome);
    } catch (error) {
      const reason = (error as Error).message || String(error);
      this.logger.warn({ error: reason, size: batch.length }, 'batch handler failed');
      return batch.map(() => ({ kind: 'retry' as const, reason }));
    }
  }

  private async settle(message: JsMsg, outcome: Outcome): Promise<void> {
    const deliveries = message.info.deliveryCount;
    switch (outcome.kind) {
      case 'done':
      case 'skipped':
        return message.ack();
      case 'reject':
        return this.toDeadLetter(message, 'rejected', outcome.reason);
      case 'retry':
        if (deliveries >= this.settings.maxDeliver) {
          return this.toDeadLetter(
            message,
            'exhausted',
            `${outcome.reason} (gave up after ${deliveries} deliveries)`,
          );
        }
        return message.nak(
          outcome.delayMs ??
            backoffDelay(deliveries, this.settings.backoffBaseMs, this.settings.backoffMaxMs),
        );
    }
  }

  private async toDeadLetter(message: JsMsg, cause: DeadLetter['kind'], reason: string): Promise<void> {
    try {
      await deadLetter({
        nats: this.nats,
        stream: this.stream,
        consumer: this.settings.durable,
        message,
        cause,
        reason,
      });
      this.logger.warn({ sequence: message.seq, kind: cause, reason }, 'message dead-lettered');
    } catch (error) {
      this.logger.error({ error: (error as Error).message, sequence: message.seq }, 'dead-letter failed');
      message.nak(this.settings.backoffMaxMs);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.side.delete(tracked));
    this.side.add(tracked);
  }
}
