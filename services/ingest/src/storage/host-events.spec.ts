import { HostEvent } from '@optralis/contracts';

import type { HostWrite } from './host-changes';
import { hostWriteEvents, type WrittenHost } from './host-events';

const now = new Date('2026-11-21T10:00:00.000Z');

const write: HostWrite = {
  tenantId: 'tenant',
  hostId: 'host',
  identity: { name: 'web-01', tags: ['prod'], source: 'agent' },
  lastSeen: now,
  lastReportTime: now,
  intervalSeconds: 10,
  intervalSamples: 1,
  comesOnline: false,
  inventory: null,
};
const written: WrittenHost = {
  key: 1,
  inserted: false,
  firstSeen: now,
  statusChangedAt: now,
  seriesCount: 0,
};

describe(hostWriteEvents.name, () => {
  it('should raise registered and inventory events when a new host reports its inventory', () => {
    const events = hostWriteEvents(
      { ...write, inventory: { json: '{"os":"debian"}', hash: 'f00', time: now.getTime() } },
      { ...written, inserted: true },
    );

    expect(events.map((event) => event.msgId)).toEqual([
      'host:tenant:host:registered',
      'host:tenant:host:inventory:f00',
    ]);
    expect(events[1].payload).toMatchObject({
      kind: 'inventory',
      data: { hash: 'f00', inventory: { os: 'debian' } },
    });
    for (const event of events) {
      expect(event.payload.id).toBe(event.msgId);
      expect(HostEvent.safeParse(event.payload).success).toBe(true);
    }
  });

  it('should raise online with the status change time in its id when a host comes back', () => {
    const events = hostWriteEvents({ ...write, comesOnline: true }, written);

    expect(events).toEqual([
      {
        msgId: `host:tenant:host:online:${now.getTime()}`,
        payload: expect.objectContaining({ kind: 'online', time: now.toISOString(), hostName: 'web-01' }),
      },
    ]);
  });

  it('should raise nothing when a known host reports as usual', () => {
    expect(hostWriteEvents(write, written)).toEqual([]);
  });
});
