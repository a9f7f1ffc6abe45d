import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { loadConfig } from '@optralis/config';
import { asTenantId } from '@optralis/db';
import { MetricsRegistry } from '@optralis/observability';

import type { ChannelsService } from '../channels/channels.service';
import type { DeliverableChannel } from '../channels/senders/channel-sender';
import type { ChannelSenders } from '../channels/senders/channel-senders';
import { AlertingEnv } from '../config';
import { DeliveryAttempts } from './delivery-attempts.service';
import { DeliveryMetrics } from './delivery.metrics';
import type { ClaimedDelivery, DeliveryRepository } from './delivery.repository';
import { firingNotification } from './testing/notifications';
import { strictMock } from '@optralis/testing/vitest';

describe(DeliveryAttempts.name, () => {
  const tenantId = asTenantId(randomUUID());

  beforeAll(() => Logger.overrideLogger(false));

  const channel = (overrides: Partial<DeliverableChannel> = {}): DeliverableChannel => ({
    id: randomUUID(),
    tenantId,
    name: 'hook',
    type: 'webhook',
    enabled: true,
    rateLimitPerMinute: 60,
    sendResolved: true,
    config: {},
    ...overrides,
  });

  const claimed = (overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery => ({
    id: randomUUID(),
    tenantId,
    alertId: randomUUID(),
    channelId: randomUUID(),
    kind: 'firing',
    attempts: 1,
    payload: firingNotification(tenantId),
    sampleTime: null,
    ...overrides,
  });

  const setup = () => {
    const repository = strictMock<DeliveryRepository>(['settle']);
    const channels = strictMock<ChannelsService>(['deliverable']);
    const senders = strictMock<ChannelSenders>(['send']);
    const config = loadConfig(AlertingEnv, {
      ALERTING_DELIVERY_MAX_ATTEMPTS: '3',
      ALERTING_DELIVERY_BACKOFF_MS: '1000',
      ALERTING_DELIVERY_MAX_BACKOFF_MS: '4000',
    });
    const metrics = new DeliveryMetrics(
      new MetricsRegistry({ service: 'alerting', version: 'test' } as never),
    );
    repository.settle.mockResolvedValue(true);
    const sut = new DeliveryAttempts(repository, channels, senders, metrics, config);
    return { sut, repository, channels, senders };
  };

  it('should record a failure with its status at once when the sender says it is permanent', async () => {
    const { sut, repository, channels, senders } = setup();
    const delivery = claimed();
    channels.deliverable.mockResolvedValue(channel());
    senders.send.mockResolvedValue({
      outcome: 'permanent',
      statusCode: 404,
      error: 'HTTP 404',
      durationMs: 3,
    });

    expect(await sut.run(delivery)).toBeNull();

    expect(repository.settle).toHaveBeenCalledWith(delivery, {
      status: 'failed',
      error: 'HTTP 404',
      statusCode: 404,
    });
  });

  it('should schedule a retry within the backoff, and give up on the last attempt', async () => {
    const { sut, repository, channels, senders } = setup();
    channels.deliverable.mockResolvedValue(channel());
    senders.send.mockResolvedValue({
      outcome: 'retryable',
      statusCode: 503,
      error: 'HTTP 503',
      durationMs: 3,
    });

    const dueIn = await sut.run(claimed({ attempts: 2 }));
    await sut.run(claimed({ attempts: 3 }));

    expect(dueIn).toBeGreaterThanOrEqual(1000);
    expect(dueIn).toBeLessThanOrEqual(2000);
    expect(repository.settle.mock.calls.map(([, settlement]) => settlement)).toEqual([
      { status: 'retry', delayMs: dueIn, error: 'HTTP 503', statusCode: 503 },
      { status: 'failed', error: 'HTTP 503 (gave up after 3 attempts)', statusCode: 503 },
    ]);
  });

  it('should defer without sending once the channel used up its rate limit', async () => {
    const { sut, repository, channels, senders } = setup();
    const limited = channel({ rateLimitPerMinute: 1 });
    channels.deliverable.mockResolvedValue(limited);
    senders.send.mockResolvedValue({ outcome: 'delivered', statusCode: 200, error: null, durationMs: 3 });

    await sut.run(claimed());
    const dueIn = await sut.run(claimed());

    expect(senders.send).toHaveBeenCalledTimes(1);
    expect(dueIn).toBeGreaterThan(59_000);
    expect(repository.settle.mock.calls[1]![1]).toEqual({ status: 'deferred', delayMs: dueIn });
  });

  it('should count a resolution as delivered without sending it when the channel does not want them', async () => {
    const { sut, repository, channels } = setup();
    channels.deliverable.mockResolvedValue(channel({ sendResolved: false }));

    await sut.run(claimed({ kind: 'resolved' }));

    expect(repository.settle.mock.calls[0]![1]).toEqual({ status: 'delivered', statusCode: null });
  });

  it('should fill an empty delivery id with the row id before sending', async () => {
    const { sut, channels, senders } = setup();
    const delivery = claimed();
    channels.deliverable.mockResolvedValue(channel());
    senders.send.mockResolvedValue({ outcome: 'delivered', statusCode: 200, error: null, durationMs: 3 });

    await sut.run(delivery);

    expect(senders.send.mock.calls[0]![1]).toMatchObject({ deliveryId: delivery.id });
  });

  it('should retry an error of its own, so a poisoned row still ends after the last attempt', async () => {
    const { sut, repository, channels } = setup();
    channels.deliverable.mockRejectedValue(new Error('unsupported state or unable to authenticate data'));

    await sut.run(claimed({ attempts: 3 }));

    expect(repository.settle.mock.calls[0]![1]).toEqual({
      status: 'failed',
      error: 'unsupported state or unable to authenticate data (gave up after 3 attempts)',
      statusCode: null,
    });
  });
});
