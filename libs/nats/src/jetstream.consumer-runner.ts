import { Logger } from '@nestjs/common';
import type { DeadLetter, StreamDefinition } from '@optralis/contracts';
import { runWithTrace, traceFromHeaders } from '@optralis/observability';
import type { ConsumerMessages, JsMsg } from 'nats';
import type { z } from 'zod';

import { decodeJson } from './codec';
import type { JetStreamMessageInfo } from './jetstream.context';
import { consumeDurable, deadLetter, describeSchemaFailure, messageInfo } from './jetstream.settlement';
import type { NatsConnectionService } from './nats-connection.service';
import { backoffDelay, isOutcome, type Outcome } from './outcome';

export interface ConsumerOptions {
  /** Durable name: instances that share it share the work. */
  durable: string;
  /** Contract subjects (no namespace) this consumer takes; the whole stream when absent. */
  filterSubjects?: string[];
  /** Deliveries before a failing message is dead-lettered. */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Messages delivered but not yet settled, across all instances of the durable. */
  maxInFlight?: number;
  /** Messages handled at once by this instance; 1 keeps stream order. */
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  deliverPolicy?: 'all' | 'new';
  /** How long a stop waits for handlers in hand before leaving their messages to redelivery. */
  drainTimeoutMs?: number;
}

export type ConsumerHandler = (payload: unknown, info: JetStreamMessageInfo) => Promise<Outcome | void>;

const DEFAULTS = {
  maxDeliver: 5,
  ackWaitMs: 30_000,
  maxInFlight: 256,
  concurrency: 1,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  deliverPolicy: 'all',
  drainTimeoutMs: 10_000,
} as const;

type Settlement =
  | { kind: 'ack' }
  | { kind: 'nak'; delayMs: number }
  | { kind: 'deadletter'; reason: string; cause: DeadLetter['kind'] };

/** Runs one durable pull consumer: validates, hands each message to the handler, settles it. */
export class JetStreamConsumerRunner {
  private readonly logger: Logger;
  private readonly settings: Required<Omit<ConsumerOptions, 'filterSubjects'>> & { filterSubjects: string[] };
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly stream: StreamDefinition,
    private readonly schema: z.ZodType,
    private readonly handler: ConsumerHandler,
    options: ConsumerOptions,
  ) {
    this.settings = { ...DEFAULTS, ...options, filterSubjects: options.filterSubjects ?? [] };
    this.logger = new Logger(`JetStreamConsumer:${options.durable}`);
  }

  get streamName(): string {
    return this.nats.namespace.streamName(this.stream.name);
  }

  async start(): Promise<void> {
    this.messages = await consumeDurable({
      nats: this.nats,
      streamName: this.streamName,
      durable: this.settings.durable,
      filterSubjects: this.settings.filterSubjects,
      maxDeliver: this.settings.maxDeliver,
      ackWaitMs: this.settings.ackWaitMs,
      maxInFlight: this.settings.maxInFlight,
      deliverPolicy: this.settings.deliverPolicy,
      pullSize: Math.min(this.settings.maxInFlight, 1000),
    });
    this.loop = this.run(this.messages);
    this.logger.log({ stream: this.streamName }, 'consuming');
  }

  /** Stops pulling and waits for the messages in hand; unsettled ones are redelivered elsewhere. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.messages?.stop();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.drainTimeoutMs);
    });
    await Promise.race([Promise.all([this.loop, ...this.inFlight]), deadline]);
    clearTimeout(timer);
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      if (this.stopped) break;
      const work = this.process(message).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
      if (this.inFlight.size >= this.settings.concurrency) await Promise.race(this.inFlight);
    }
  }

  private async process(message: JsMsg): Promise<void> {
    const settlement = await this.decide(message);
    try {
      await this.settle(message, settlement);
    } catch (error) {
      this.logger.error(
        { error: (error as Error).message, sequence: message.seq },
        'could not settle message',
      );
      message.nak(this.settings.backoffMaxMs);
    }
  }

  private async decide(message: JsMsg): Promise<Settlement> {
    const deliveries = message.info.deliveryCount;
    const decoded = decodeJson(message.data);
    if (!decoded.ok) return { kind: 'deadletter', cause: 'invalid', reason: decoded.reason };
    const parsed = this.schema.safeParse(decoded.value);
    if (!parsed.success)
      return { kind: 'deadletter', cause: 'invalid', reason: describeSchemaFailure(parsed.error) };
    if (deliveries > this.settings.maxDeliver) {
      return {
        kind: 'deadletter',
        cause: 'exhausted',
        reason: `delivered ${deliveries} times without being handled`,
      };
    }
    const outcome = await this.invoke(message, parsed.data);
    switch (outcome.kind) {
      case 'done':
      case 'skipped':
        return { kind: 'ack' };
      case 'reject':
        return { kind: 'deadletter', cause: 'rejected', reason: outcome.reason };
      case 'retry':
        if (deliveries >= this.settings.maxDeliver) {
          return {
            kind: 'deadletter',
            cause: 'exhausted',
            reason: `${outcome.reason} (gave up after ${deliveries} deliveries)`,
          };
        }
        return {
          kind: 'nak',
          delayMs:
            outcome.delayMs ??
            backoffDelay(deliveries, this.settings.backoffBaseMs, this.settings.backoffMaxMs),
        };
    }
  }

  private async invoke(message: JsMsg, payload: unknown): Promise<Outcome> {
    const info = messageInfo(this.nats, message);
    const trace = traceFromHeaders((name) => message.headers?.get(name) || undefined);
    try {
      const result = await runWithTrace(trace, () => this.handler(payload, info));
      return isOutcome(result) ? result : { kind: 'done' };
    } catch (error) {
      this.logger.warn(
        { error: (error as Error).message, sequence: message.seq, deliveries: info.deliveryCount },
        'handler failed',
      );
      return { kind: 'retry', reason: (error as Error).message || String(error) };
    }
  }

  private async settle(message: JsMsg, settlement: Settlement): Promise<void> {
    if (settlement.kind === 'ack') return message.ack();
    if (settlement.kind === 'nak') return message.nak(settlement.delayMs);
    await deadLetter({
      nats: this.nats,
      stream: this.stream,
      consumer: this.settings.durable,
      message,
      cause: settlement.cause,
      reason: settlement.reason,
    });
    this.logger.warn(
      { sequence: message.seq, kind: settlement.cause, reason: settlement.reason },
      'message dead-lettered',
    );
  }
}
