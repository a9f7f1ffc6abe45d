import { type DeadLetter, STREAMS } from '@optralis/contracts';
import { connect, type NatsConnection } from 'nats';

import { TEST_NATS_URL, uniqueId } from './environment';

export interface NatsTestNamespace {
  /** Pass as `NATS_NAMESPACE` / `NatsOptions.namespace`: every subject and stream of the test is prefixed. */
  namespace: string;
  connection: NatsConnection;
  streamName(name: keyof typeof STREAMS): string;
  publishRaw(subject: string, data: string | Uint8Array, msgId?: string): Promise<void>;
  deadLetters(streamName: keyof typeof STREAMS): Promise<DeadLetter[]>;
  /** Every message still in one of the namespace's streams, parsed as JSON, in order. */
  streamMessages<T>(streamName: keyof typeof STREAMS): Promise<T[]>;
  /** A request with raw bytes on a namespaced subject, bypassing client-side validation; the JSON reply. */
  requestRaw<T>(subject: string, body: string): Promise<T>;
  consumerInfo(
    streamName: keyof typeof STREAMS,
    durable: string,
  ): Promise<{ pending: number; ackPending: number; redelivered: number }>;
  cleanup(): Promise<void>;
}

/** A private corner of the running NATS server for one test file: own subjects, own streams. */
export async function createNatsNamespace(): Promise<NatsTestNamespace> {
  const namespace = uniqueId('n');
  const connection = await connect({ servers: TEST_NATS_URL, name: `test-${namespace}` });
  const manager = await connection.jetstreamManager();
  const jetstream = connection.jetstream();
  const streamName = (name: keyof typeof STREAMS) => `${namespace.toUpperCase()}_${STREAMS[name].name}`;
  const encoder = new TextEncoder();

  return {
    namespace,
    connection,
    streamName,
    async publishRaw(subject, data, msgId) {
      const bytes = typeof data === 'string' ? encoder.encode(data) : data;
      await jetstream.publish(`${namespace}.${subject}`, bytes, msgId ? { msgID: msgId } : undefined);
    },
    async deadLetters(name) {
      const stream = streamName('DEADLETTER');
      const letters: DeadLetter[] = [];
      let info;
      try {
        info = await manager.streams.info(stream);
      } catch {
        return letters;
      }
      for (
        let sequence = info.state.first_seq;
        sequence <= info.state.last_seq && info.state.messages > 0;
        sequence++
      ) {
        try {
          const message = await manager.streams.getMessage(stream, { seq: sequence });
          const letter = message.json<DeadLetter>();
          if (message.subject === `${namespace}.deadletter.${STREAMS[name].name}`) letters.push(letter);
        } catch {
          // A deleted sequence: nothing to read there.
        }
      }
      return letters;
    },
    async streamMessages<T>(name: keyof typeof STREAMS) {
      const stream = streamName(name);
      const info = await manager.streams.info(stream);
      const found: T[] = [];
      for (
        let sequence = info.state.first_seq;
        sequence <= info.state.last_seq && info.state.messages > 0;
        sequence++
      ) {
        found.push((await manager.streams.getMessage(stream, { seq: sequence })).json<T>());
      }
      return found;
    },
    async requestRaw<T>(subject: string, body: string) {
      const reply = await connection.request(`${namespace}.${subject}`, encoder.encode(body), {
        timeout: 5000,
      });
      return reply.json<T>();
    },
    async consumerInfo(name, durable) {
      const info = await manager.consumers.info(streamName(name), durable);
      return {
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        redelivered: info.num_redelivered,
      };
    },
    async cleanup() {
      for (const name of Object.keys(STREAMS) as (keyof typeof STREAMS)[]) {
        await manager.streams.delete(streamName(name)).catch(() => undefined);
      }
      await connection.close();
    },
  };
}
