import type { DeadLetter, StreamDefinition } from '@optralis/contracts';
import { deadletterSubject } from '@optralis/contracts';
import type { ConsumerMessages, JsMsg } from 'nats';
import type { z } from 'zod';

import { encodeJson } from './codec';
import { headersToRecord, type JetStreamMessageInfo } from './jetstream.context';
import type { NatsConnectionService } from './nats-connection.service';
import { ensureConsumer } from './provisioning';

export function messageInfo(nats: NatsConnectionService, message: JsMsg): JetStreamMessageInfo {
  const headers = headersToRecord(message.headers);
  return {
    subject: nats.namespace.strip(message.subject),
    stream: message.info.stream,
    streamSequence: message.seq,
    deliveryCount: message.info.deliveryCount,
    msgId: headers['Nats-Msg-Id'],
    headers,
  };
}

export function describeSchemaFailure(error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return `schema validation failed: ${issues.join('; ')}`;
}

/** Publishes the message with its reason to `deadletter.<stream>`, then terminates it. */
export async function deadLetter(input: {
  nats: NatsConnectionService;
  stream: StreamDefinition;
  consumer: string;
  message: JsMsg;
  cause: DeadLetter['kind'];
  reason: string;
}): Promise<void> {
  const { nats, message } = input;
  const letter: DeadLetter = {
    stream: message.info.stream,
    subject: nats.namespace.strip(message.subject),
    consumer: input.consumer,
    streamSequence: message.seq,
    deliveries: message.info.deliveryCount,
    reason: input.reason,
    kind: input.cause,
    failedAt: new Date().toISOString(),
    headers: headersToRecord(message.headers),
    data: Buffer.from(message.data).toString('base64'),
  };
  const jetstream = await nats.jetstream();
  await jetstream.publish(nats.namespace.subject(deadletterSubject(input.stream.name)), encodeJson(letter), {
    msgID: `deadletter:${input.consumer}:${message.info.stream}:${message.seq}`,
  });
  // nats-server 2.9 ignores a +TERM that carries a reason, so the reason lives in the dead letter only.
  message.term();
}

/**
 * Provisions the durable pull consumer of a runner (one delivery beyond its own limit, so a crash during
 * the last attempt still ends in the dead-letter stream) and starts pulling from it.
 */
export async function consumeDurable(input: {
  nats: NatsConnectionService;
  streamName: string;
  durable: string;
  filterSubjects: string[];
  maxDeliver: number;
  ackWaitMs: number;
  maxInFlight: number;
  deliverPolicy: 'all' | 'new';
  pullSize: number;
}): Promise<ConsumerMessages> {
  const { nats } = input;
  await ensureConsumer(await nats.jetstreamManager(), {
    stream: input.streamName,
    durable: input.durable,
    filterSubjects: input.filterSubjects.map((subject) => nats.namespace.subject(subject)),
    maxDeliver: input.maxDeliver + 1,
    ackWaitMs: input.ackWaitMs,
    maxAckPending: input.maxInFlight,
    deliverPolicy: input.deliverPolicy,
  });
  const consumer = await (await nats.jetstream()).consumers.get(input.streamName, input.durable);
  return consumer.consume({ max_messages: input.pullSize });
}
