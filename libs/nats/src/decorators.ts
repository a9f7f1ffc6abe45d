import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { MessageName, RpcSubject } from '@optralis/contracts';

import type { ConsumerOptions } from './jetstream.consumer-runner';

export const JETSTREAM_EXTRAS_KEY = 'jetstream';

/** Turns a method into a durable JetStream pull consumer of one contract message. */
export function JetStreamHandler(message: MessageName, options: ConsumerOptions): MethodDecorator {
  return EventPattern(message, { [JETSTREAM_EXTRAS_KEY]: options });
}

/** Answers `rpc.<service>.<method>` in the service's queue group. */
export function RpcMethod(subject: RpcSubject): MethodDecorator {
  return MessagePattern(subject);
}
