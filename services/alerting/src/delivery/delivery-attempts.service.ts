import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertNotification } from '@optralis/contracts';

import { ALERTING_CONFIG } from '../alerting.config.provider';
import { ChannelsService } from '../channels/channels.service';
import { errorText } from '../channels/senders/channel-sender';
import { ChannelSenders } from '../channels/senders/channel-senders';
import type { AlertingConfig } from '../config';
import { type ClaimedDelivery, DeliveryRepository, type Settlement } from './delivery.repository';
import { type DeliveryOutcome, DeliveryMetrics } from './delivery.metrics';
import { ChannelRateLimiter } from './rate-limiter';
import { retryDelayMs } from './retry-schedule';

interface Attempt {
  settlement: Settlement;
  channelType: string;
  outcome: DeliveryOutcome;
}

const failed = (error: string, channelType: string, statusCode: number | null = null): Attempt => ({
  settlement: { status: 'failed', error, statusCode },
  channelType,
  outcome: 'failed',
});

/**
 * One claimed delivery, start to end: find its channel, respect its rate limit, send, and record the
 * outcome (delivered, retry with backoff, or failed for good).
 */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger(DeliveryAttempts.name);
  private readonly limiter = new ChannelRateLimiter();

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly channels: ChannelsService,
    private readonly senders: ChannelSenders,
    private readonly metrics: DeliveryMetrics,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  /** Sends and records one delivery; returns in how many ms it is due again, when it is to be retried. */
  async run(delivery: ClaimedDelivery): Promise<number | null> {
    let attempt: Attempt;
    try {
      attempt = await this.attempt(delivery);
    } catch (error) {
      // An error of ours (database, unsealing) counts as an attempt, so a poisoned row ends as failed.
      attempt = this.retryOrFail(delivery, 'unknown', errorText((error as Error).message), null);
    }
    const settled = await this.repository.settle(delivery, attempt.settlement);
    this.metrics.deliveries.inc({ channel_type: attempt.channelType, outcome: attempt.outcome });
    if (!settled) {
      this.logger.warn({ deliveryId: delivery.id }, 'delivery lease ran out before its attempt was recorded');
    } else if (attempt.settlement.status === 'failed') {
      this.logger.warn(
        { tenantId: delivery.tenantId, deliveryId: delivery.id, error: attempt.settlement.error },
        'delivery failed for good',
      );
    }
    const { settlement } = attempt;
    return settled && (settlement.status === 'retry' || settlement.status === 'deferred')
      ? settlement.delayMs
      : null;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<Attempt> {
    const parsed = AlertNotification.safeParse(delivery.payload);
    if (!parsed.success) return failed('the payload is not a valid notification', 'unknown');
    const channel = await this.channels.deliverable(delivery.tenantId, delivery.channelId);
    if (!channel) return failed('channel deleted', 'unknown');
    if (!channel.enabled) return failed('channel disabled', channel.type);
    if (delivery.kind === 'resolved' && !channel.sendResolved) {
      // The channel asked not to hear about resolutions: done, nothing sent (the outcome says "skipped").
      return {
        settlement: { status: 'delivered', statusCode: null },
        channelType: channel.type,
        outcome: 'skipped',
      };
    }
    const waitMs = this.limiter.take(channel.id, channel.rateLimitPerMinute);
    if (waitMs > 0) {
      return {
        settlement: { status: 'deferred', delayMs: waitMs },
        channelType: channel.type,
        outcome: 'deferred',
      };
    }
    if (
      delivery.attempts === 1 &&
      delivery.sampleTime &&
      (delivery.kind === 'firing' || delivery.kind === 'escalation')
    ) {
      this.metrics.detectionLatency.observe(Math.max(0, Date.now() - delivery.sampleTime.getTime()) / 1000);
    }
    const notification = { ...parsed.data, deliveryId: parsed.data.deliveryId || delivery.id };
    const result = await this.senders.send(channel, notification);
    this.metrics.duration.observe({ channel_type: channel.type }, result.durationMs / 1000);
    if (result.outcome === 'delivered') {
      return {
        settlement: { status: 'delivered', statusCode: result.statusCode },
        channelType: channel.type,
        outcome: 'delivered',
      };
    }
    const error = result.error ?? 'the channel refused the notification';
    if (result.outcome === 'permanent') return failed(error, channel.type, result.statusCode);
    return this.retryOrFail(delivery, channel.type, error, result.statusCode);
  }

  private retryOrFail(
    delivery: ClaimedDelivery,
    channelType: string,
    error: string,
    statusCode: number | null,
  ): Attempt {
    const maxAttempts = this.config.ALERTING_DELIVERY_MAX_ATTEMPTS;
    if (delivery.attempts >= maxAttempts) {
      return failed(
        errorText(`${error} (gave up after ${delivery.attempts} attempts)`),
        channelType,
        statusCode,
      );
    }
    const delayMs = retryDelayMs(delivery.attempts, {
      baseMs: this.config.ALERTING_DELIVERY_BACKOFF_MS,
      maxMs: this.config.ALERTING_DELIVERY_MAX_BACKOFF_MS,
    });
    return { settlement: { status: 'retry', delayMs, error, statusCode }, channelType, outcome: 'retried' };
  }
}
