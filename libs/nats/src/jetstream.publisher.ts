import { Inject, Injectable } from '@nestjs/common';
import { type InputOf, type MessageName, messages, type PayloadOf, STREAMS } from '@optralis/contracts';
import { currentTrace, REQUEST_ID_HEADER, TRACE_ID_HEADER } from '@optralis/observability';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

import { encodeJson } from './codec';
import { NatsConnectionService } from './nats-connection.service';
import { NATS_OPTIONS, type NatsOptions } from './nats.options';

export interface PublishOptions {
  /** `Nats-Msg-Id`: the same id inside the duplicate window is stored once. */
  msgId: string;
  headers?: Record<string, string>;
}

export interface PublishManyOptions {
  /** Skip the schema check when the caller built the payloads from an already validated form (hot path). */
  validated?: boolean;
  /** How long to wait for each JetStream ack. */
  timeoutMs?: number;
}

export interface Published {
  stream: string;
  sequence: number;
  duplicate: boolean;
}

export function traceHeaders(extra: Record<string, string> = {}): MsgHdrs {
  const result = natsHeaders();
  const trace = currentTrace();
  if (trace) {
    result.set(TRACE_ID_HEADER, trace.traceId);
    result.set(REQUEST_ID_HEADER, trace.requestId);
  }
  for (const [name, value] of Object.entries(extra)) result.set(name, value);
  return result;
}

/** Publishes contract messages: validated, on the subject the table fixes, acked by JetStream. */
@Injectable()
export class JetStreamPublisher {
  constructor(
    private readonly nats: NatsConnectionService,
    @Inject(NATS_OPTIONS) private readonly options: NatsOptions,
  ) {}

  subjectOf<N extends MessageName>(name: N, payload: PayloadOf<N>): string {
    const subject = (
      messages[name].subject as (value: PayloadOf<N>, options: { partitions?: number }) => string
    )(payload, { partitions: this.options.partitions });
    return this.nats.namespace.subject(subject);
  }

  async publish<N extends MessageName>(
    name: N,
    payload: InputOf<N>,
    options: PublishOptions,
  ): Promise<Published> {
    const [published] = await this.publishMany(name, [{ payload, ...options }]);
    return published;
  }

  /** Sends every publish before awaiting any ack: one round trip's latency for the whole batch. */
  async publishMany<N extends MessageName>(
    name: N,
    batch: ({ payload: InputOf<N> } & PublishOptions)[],
    options: PublishManyOptions = {},
  ): Promise<Published[]> {
    const jetstream = await (await this.nats.ready()).jetstream();
    const schema = messages[name].schema;
    const expectedStream = this.nats.namespace.streamName(STREAMS[messages[name].stream].name);
    const acks = batch.map((item) => {
      const payload = (options.validated ? item.payload : schema.parse(item.payload)) as PayloadOf<N>;
      return jetstream.publish(this.subjectOf(name, payload), encodeJson(payload), {
        msgID: item.msgId,
        headers: traceHeaders(item.headers),
        expect: { streamName: expectedStream },
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      });
    });
    const results = await Promise.all(acks);
    return results.map((ack) => ({ stream: ack.stream, sequence: ack.seq, duplicate: ack.duplicate }));
  }
}
