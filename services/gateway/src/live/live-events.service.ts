import { Injectable, Logger } from '@nestjs/common';
import { AlertChanged, HostEvent, sanitiseId, STREAMS } from '@optralis/contracts';
import { decodeJson, NatsConnectionService } from '@optralis/nats';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from 'nats';

import { formatPosition, type LivePosition, sseFrame } from './live-position';

/** Frames a slow client may fall behind by before it is cut off (it resumes with Last-Event-ID). */
const MAX_BUFFERED_FRAMES = 1_000;

export interface LiveSubscription {
  /** Where the subscription starts: the position its first event continues from. */
  readonly start: LivePosition;
  next(): Promise<string | undefined>;
  close(): Promise<void>;
}

type Source = 'alerts' | 'hosts';

/**
 * A tenant's alert changes (ALERTS) and host status (EVENTS) for server-sent events: two ordered
 * consumers filtered on the tenant's subjects, starting right after `Last-Event-ID`'s position or at the
 * streams' ends.
 */
@Injectable()
export class LiveEventsService {
  private readonly logger = new Logger(LiveEventsService.name);

  constructor(private readonly nats: NatsConnectionService) {}

  async subscribe(tenantId: string, resume: LivePosition | undefined): Promise<LiveSubscription> {
    const connection = await this.nats.ready();
    const manager = await connection.jetstreamManager();
    const jetstream = connection.jetstream();
    const alertsStream = this.nats.namespace.streamName(STREAMS.ALERTS.name);
    const hostsStream = this.nats.namespace.streamName(STREAMS.EVENTS.name);
    const start = resume ?? {
      alerts: (await manager.streams.info(alertsStream)).state.last_seq,
      hosts: (await manager.streams.info(hostsStream)).state.last_seq,
    };
    const position = { ...start };
    const tenant = sanitiseId(tenantId, 'tenantId');
    const frames: string[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const readers: ConsumerMessages[] = [];

    const push = (frame: string | undefined) => {
      if (frame === undefined) return;
      if (frames.length >= MAX_BUFFERED_FRAMES) {
        this.logger.warn({ tenantId }, 'live events client too slow; closing it');
        void subscription.close();
        return;
      }
      frames.push(frame);
      wake?.();
    };
    const follow = async (source: Source, stream: string, filter: string) => {
      const consumer = await jetstream.consumers.get(stream, {
        filterSubjects: this.nats.namespace.subject(filter),
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: position[source] + 1,
      });
      const messages = await consumer.consume({ max_messages: 256 });
      readers.push(messages);
      void (async () => {
        for await (const message of messages) {
          position[source] = message.seq;
          push(this.frame(source, tenantId, message, position));
        }
      })().catch((error: unknown) => {
        this.logger.warn({ tenantId, error: (error as Error).message }, 'live events reader stopped');
        void subscription.close();
      });
    };

    const subscription: LiveSubscription = {
      start,
      next: async () => {
        while (frames.length === 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
        return frames.shift();
      },
      close: async () => {
        if (closed) return;
        closed = true;
        wake?.();
        await Promise.all(readers.map((reader) => reader.close().catch(() => undefined)));
      },
    };
    await follow('alerts', alertsStream, `alerts.${tenant}.>`);
    await follow('hosts', hostsStream, `events.${tenant}.host.>`);
    return subscription;
  }

  /** Checks each message again: the filter is the tenant boundary, the payload's tenant must agree. */
  private frame(
    source: Source,
    tenantId: string,
    message: JsMsg,
    position: LivePosition,
  ): string | undefined {
    const decoded = decodeJson(message.data);
    if (!decoded.ok) return undefined;
    const id = formatPosition(position);
    if (source === 'alerts') {
      const alert = AlertChanged.safeParse(decoded.value);
      if (!alert.success || alert.data.tenantId !== tenantId) return undefined;
      return sseFrame({ id, type: 'alert', data: alert.data });
    }
    const event = HostEvent.safeParse(decoded.value);
    if (!event.success || event.data.tenantId !== tenantId) return undefined;
    const { id: eventId, hostId, hostName, kind, time, data } = event.data;
    const status = kind === 'offline' || kind === 'online' ? kind : undefined;
    return sseFrame({
      id,
      type: 'host',
      data: { id: eventId, hostId, hostName, kind, time, ...(status ? { status } : {}), data },
    });
  }
}
