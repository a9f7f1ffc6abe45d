import { Logger } from '@nestjs/common';
import { HostEvent, STREAMS } from '@optralis/contracts';
import { decodeJson, type NatsConnectionService } from '@optralis/nats';
import { DeliverPolicy, type ConsumerMessages } from 'nats';

/** Ingest's offline events, read by every instance; each keeps those of the partitions it evaluates. */
export class HostOfflineEvents {
  private readonly logger = new Logger(HostOfflineEvents.name);
  private messages?: ConsumerMessages;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly handle: (event: HostEvent) => Promise<void>,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.consume();
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ error: (error as Error).message }, 'host event reader restarts');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Only new events: while alerting was away its own presence checkpoint covered the hosts it knew. */
  private async consume(): Promise<void> {
    const jetstream = await (await this.nats.ready()).jetstream();
    const consumer = await jetstream.consumers.get(this.nats.namespace.streamName(STREAMS.EVENTS.name), {
      filterSubjects: this.nats.namespace.subject('events.*.host.*.offline'),
      deliver_policy: DeliverPolicy.New,
    });
    this.messages = await consumer.consume({ max_messages: 256 });
    if (this.stopped) await this.messages.close();
    for await (const message of this.messages) {
      if (this.stopped) break;
      const decoded = decodeJson(message.data);
      const event = decoded.ok ? HostEvent.safeParse(decoded.value) : undefined;
      if (!event?.success) {
        this.logger.warn({ seq: message.seq }, 'unreadable host event ignored');
        continue;
      }
      await this.handle(event.data);
    }
  }
}
