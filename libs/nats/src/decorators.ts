import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { MessageName, RpcSubject } from '@optralis/contracts';

import type { BatchConsumerOptions } from './jetstream.batch-runner';
import type { ConsumerOptions } from './jetstream.consumer-runner';
import { RpcPassThroughFilter } from './rpc-pass-through.filter';

export const JETSTREAM_EXTRAS_KEY = 'jetstream';
export const JETSTREAM_BATCH_EXTRAS_KEY = 'jetstreamBatch';

/**
 * Turns a method into a durable JetStream pull consumer of one contract message. The filter lets the
 * handler's own error reach the transport (Nest would flatten it to "Internal server error").
 */
export function JetStreamHandler(message: MessageName, options: ConsumerOptions): MethodDecorator {
  return applyDecorators(
    EventPattern(message, { [JETSTREAM_EXTRAS_KEY]: options }),
    UseFilters(RpcPassThroughFilter),
  );
}

/**
 * Like `@JetStreamHandler`, but the method receives `BatchItem[]` (by count and time) and returns one
 * outcome for the batch or one per item; nothing of the batch is acked before it returns.
 */
export function JetStreamBatchHandler(message: MessageName, options: BatchConsumerOptions): MethodDecorator {
  return applyDecorators(
    EventPattern(message, { [JETSTREAM_BATCH_EXTRAS_KEY]: options }),
    UseFilters(RpcPassThroughFilter),
  );
}

/** Answers `rpc.<service>.<method>` in the service's queue group. */
export function RpcMethod(subject: RpcSubject): MethodDecorator {
  return applyDecorators(MessagePattern(subject), UseFilters(RpcPassThroughFilter));
}
