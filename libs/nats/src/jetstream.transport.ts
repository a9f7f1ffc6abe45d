import { Injectable, Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isRpcSubject, type MessageName, messages, STREAMS } from '@optralis/contracts';
import { isObservable, lastValueFrom } from 'rxjs';

import { JETSTREAM_BATCH_EXTRAS_KEY, JETSTREAM_EXTRAS_KEY } from './decorators';
import {
  type BatchConsumerOptions,
  type BatchHandler,
  JetStreamBatchConsumerRunner,
} from './jetstream.batch-runner';
import { JetStreamConsumerRunner, type ConsumerOptions } from './jetstream.consumer-runner';
import { JetStreamContext, type JetStreamMessageInfo } from './jetstream.context';
import { NatsConnectionService } from './nats-connection.service';
import type { Outcome } from './outcome';
import { RpcResponder } from './rpc.server';

async function resolveResult(
  handler: MessageHandler,
  payload: unknown,
  info: JetStreamMessageInfo,
): Promise<unknown> {
  const returned: unknown = await handler(payload, new JetStreamContext([info]));
  return isObservable(returned) ? lastValueFrom(returned, { defaultValue: undefined }) : returned;
}

/**
 * Nest custom transport: `@JetStreamHandler` methods become durable JetStream pull consumers,
 * `@RpcMethod` methods answer core NATS request/reply in the service's queue group.
 */
@Injectable()
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(JetStreamTransport.name);
  private readonly runners: (JetStreamConsumerRunner | JetStreamBatchConsumerRunner)[] = [];
  private readonly responders: RpcResponder[] = [];

  constructor(private readonly nats: NatsConnectionService) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await Promise.all(this.responders.map((responder) => responder.stop()));
    this.runners.length = 0;
    this.responders.length = 0;
  }

  on(): never {
    throw new Error('JetStreamTransport does not emit events; watch NatsConnectionService instead');
  }

  unwrap<T>(): T {
    return this.nats as T;
  }

  private async start(): Promise<void> {
    const connection = await this.nats.ready();
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) {
        const runner = this.consumerFor(pattern, handler);
        await runner.start();
        this.runners.push(runner);
      } else {
        if (!isRpcSubject(pattern))
          throw new Error(`@RpcMethod("${pattern}") is not an rpc.* subject of the contract`);
        const responder = new RpcResponder(
          pattern,
          (request, info) => resolveResult(handler, request, info),
          this.nats.namespace,
        );
        responder.start(connection, `rpc.${this.nats.options.service}`);
        this.responders.push(responder);
      }
    }
    this.log.log(
      { consumers: this.runners.length, rpcMethods: this.responders.length },
      'NATS transport listening',
    );
  }

  private consumerFor(
    pattern: string,
    handler: MessageHandler,
  ): JetStreamConsumerRunner | JetStreamBatchConsumerRunner {
    if (!Object.prototype.hasOwnProperty.call(messages, pattern)) {
      throw new Error(`@JetStreamHandler("${pattern}") is not a message of the contract`);
    }
    const message = messages[pattern as MessageName];
    const batchOptions = handler.extras?.[JETSTREAM_BATCH_EXTRAS_KEY] as BatchConsumerOptions | undefined;
    if (batchOptions) {
      return new JetStreamBatchConsumerRunner(
        this.nats,
        STREAMS[message.stream],
        message.schema,
        async (items) => {
          const returned: unknown = await handler(items);
          return (
            isObservable(returned) ? await lastValueFrom(returned, { defaultValue: undefined }) : returned
          ) as Awaited<ReturnType<BatchHandler>>;
        },
        batchOptions,
      );
    }
    const options = handler.extras?.[JETSTREAM_EXTRAS_KEY] as ConsumerOptions | undefined;
    if (!options)
      throw new Error(`@EventPattern("${pattern}") needs @JetStreamHandler options (durable name)`);
    return new JetStreamConsumerRunner(
      this.nats,
      STREAMS[message.stream],
      message.schema,
      (payload, info) => resolveResult(handler, payload, info) as Promise<Outcome | void>,
      options,
    );
  }
}
