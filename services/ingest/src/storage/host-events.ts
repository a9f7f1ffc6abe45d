import type { HostEvent } from '@optralis/contracts';

import type { HostWrite } from './host-changes';
import { hostEventId } from './series-keys';

/** A host event waiting in `ingest.event_outbox`; `msgId` is also its `Nats-Msg-Id` and `payload.id`. */
export interface OutboxEvent {
  msgId: string;
  payload: HostEvent;
}

/** What the registry answered for one written host. */
export interface WrittenHost {
  key: number;
  inserted: boolean;
  firstSeen: Date;
  statusChangedAt: Date;
  seriesCount: number;
}

/** Inventories larger than this travel as their hash only (EVENTS refuses messages over 1 MiB). */
const MAX_EVENT_INVENTORY_CHARS = 256 * 1024;

function hostEvent(
  write: HostWrite,
  kind: HostEvent['kind'],
  input: { time: Date | number; suffix?: string; data: Record<string, unknown> },
): OutboxEvent {
  const msgId = hostEventId({ tenantId: write.tenantId, hostId: write.hostId, kind, suffix: input.suffix });
  return {
    msgId,
    payload: {
      id: msgId,
      tenantId: write.tenantId,
      hostId: write.hostId,
      ...(write.identity ? { hostName: write.identity.name } : {}),
      kind,
      time: new Date(input.time).toISOString(),
      data: input.data,
    },
  };
}

/** The events one registry write raises: registered, inventory changed, back online. */
export function hostWriteEvents(write: HostWrite, written: WrittenHost): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  if (written.inserted) {
    events.push(
      hostEvent(write, 'registered', {
        time: written.firstSeen,
        data: write.identity ? { source: write.identity.source, tags: write.identity.tags } : {},
      }),
    );
  }
  if (write.inventory) {
    const { json, hash, time } = write.inventory;
    events.push(
      hostEvent(write, 'inventory', {
        time,
        suffix: hash,
        data: json.length <= MAX_EVENT_INVENTORY_CHARS ? { hash, inventory: JSON.parse(json) } : { hash },
      }),
    );
  }
  if (write.comesOnline) {
    events.push(
      hostEvent(write, 'online', {
        time: written.statusChangedAt,
        suffix: String(written.statusChangedAt.getTime()),
        data: { lastSeen: write.lastSeen.toISOString() },
      }),
    );
  }
  return events;
}
