import { randomUUID } from 'node:crypto';

import { AlertChanged, type HostEvent } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';
import { expectEventually } from '@optralis/testing';

import { type Platform, startPlatform, type TenantFixture } from './gateway-test-app';

interface Frame {
  id?: string;
  event?: string;
  data?: Record<string, unknown>;
  comment?: string;
}

/** Reads a live-events stream in the background, parsing frames as they arrive. */
async function openStream(url: string, token: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const frames: Frame[] = [];
  let buffer = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame: Frame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(': ')) frame.comment = line.slice(2);
          else if (line.startsWith('id: ')) frame.id = line.slice(4);
          else if (line.startsWith('event: ')) frame.event = line.slice(7);
          else if (line.startsWith('data: '))
            frame.data = JSON.parse(line.slice(6)) as Record<string, unknown>;
        }
        frames.push(frame);
      }
    }
  })().catch(() => undefined);
  return {
    response,
    frames,
    events: () => frames.filter((frame) => frame.event !== undefined),
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

describe('Gateway live events (server-sent events from ALERTS and EVENTS)', () => {
  let platform: Platform;
  let first: TenantFixture;
  let second: TenantFixture;

  beforeAll(async () => {
    platform = await startPlatform({ env: { GATEWAY_EVENTS_HEARTBEAT_SECONDS: '1' } });
    [first, second] = await Promise.all([platform.tenant(), platform.tenant()]);
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  const alertOf = (tenantId: string, summary: string): AlertChanged =>
    AlertChanged.parse({
      id: randomUUID(),
      alertId: randomUUID(),
      tenantId,
      ruleId: randomUUID(),
      ruleName: 'cpu high',
      ruleKind: 'threshold',
      hostId: 'web-01',
      severity: 'critical',
      state: 'firing',
      value: 97,
      summary,
      time: new Date().toISOString(),
    });
  const publishAlert = (alert: AlertChanged) =>
    platform.gateway.app.get(JetStreamPublisher).publish('alerts.changed', alert, { msgId: alert.id });
  const publishHost = (event: HostEvent) =>
    platform.gateway.app.get(JetStreamPublisher).publish('host.event', event, { msgId: event.id });

  it('should stream only the caller’s tenant and resume after Last-Event-ID', async () => {
    const stream = await openStream(platform.gateway.url, first.owner.accessToken);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    await expectEventually(() =>
      expect(stream.frames.some((frame) => frame.comment?.startsWith('from'))).toBe(true),
    );

    await publishAlert(alertOf(second.id, 'not yours'));
    await publishAlert(alertOf(first.id, 'first\ndata: forged'));
    await publishHost({
      id: randomUUID(),
      tenantId: first.id,
      hostId: 'web-01',
      hostName: 'web-01',
      kind: 'offline',
      time: new Date().toISOString(),
      data: {},
    });
    await expectEventually(() => expect(stream.events()).toHaveLength(2));
    const [alert, host] = stream.events();
    expect(alert).toMatchObject({
      event: 'alert',
      data: { tenantId: first.id, summary: 'first\ndata: forged' },
    });
    expect(host).toMatchObject({ event: 'host', data: { hostId: 'web-01', status: 'offline' } });
    expect(JSON.stringify(stream.frames)).not.toContain('not yours');
    await expectEventually(() =>
      expect(stream.frames.some((frame) => frame.comment === 'heartbeat')).toBe(true),
    );
    await stream.close();

    // Missed while disconnected: delivered on reconnect, after the last id seen and nothing before it.
    await publishAlert(alertOf(first.id, 'while away'));
    const resumed = await openStream(platform.gateway.url, first.owner.accessToken, {
      'last-event-id': alert!.id!,
    });
    try {
      // The two streams interleave in no global order; each resumes right after its own position.
      await expectEventually(() =>
        expect(
          resumed
            .events()
            .map((frame) => frame.data?.summary ?? frame.event)
            .sort(),
        ).toEqual(['host', 'while away']),
      );
    } finally {
      await resumed.close();
    }
  });

  it('should start at the end of the streams when Last-Event-ID is malformed or hostile', async () => {
    await publishAlert(alertOf(first.id, 'old news'));
    const stream = await openStream(platform.gateway.url, first.owner.accessToken, {
      'last-event-id': '../../etc/passwd',
    });
    expect(stream.response.status).toBe(200);
    await expectEventually(() =>
      expect(stream.frames.some((frame) => frame.comment?.startsWith('from'))).toBe(true),
    );
    await publishAlert(alertOf(first.id, 'fresh'));
    await expectEventually(() =>
      expect(stream.events().map((frame) => frame.data?.summary)).toEqual(['fresh']),
    );
    await stream.close();
  });

  it('should refuse a missing or garbage token and an unknown query parameter', async () => {
    const anonymous = await fetch(`${platform.gateway.url}/api/v1/events`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const garbage = await openStream(platform.gateway.url, 'not-a-token');
    expect(garbage.response.status).toBe(401);
    await garbage.close();
    const unknown = await fetch(`${platform.gateway.url}/api/v1/events?tenantId=${second.id}`, {
      headers: { authorization: `Bearer ${first.owner.accessToken}` },
    });
    expect(unknown.status).toBe(400);
  });
});
