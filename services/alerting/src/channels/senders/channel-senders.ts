import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlertNotification, ChannelType } from '@optralis/contracts';

import { ALERTING_CONFIG } from '../../alerting.config.provider';
import type { AlertingConfig } from '../../config';

import { type ChannelSender, type DeliverableChannel, errorText, type SendResult } from './channel-sender';
import { DiscordSender } from './discord.sender';
import { EmailSender } from './email.sender';
import { PagerDutySender } from './pagerduty.sender';
import { SlackSender } from './slack.sender';
import { TeamsSender } from './teams.sender';
import { WebhookSender } from './webhook.sender';

export interface TimedSendResult extends SendResult {
  durationMs: number;
}

/** The sender of each channel type; what the outbox and the test button both send through. */
@Injectable()
export class ChannelSenders {
  private readonly logger = new Logger(ChannelSenders.name);
  private readonly senders: Record<ChannelType, ChannelSender>;

  constructor(
    email: EmailSender,
    slack: SlackSender,
    teams: TeamsSender,
    discord: DiscordSender,
    pagerduty: PagerDutySender,
    webhook: WebhookSender,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {
    this.senders = { email, slack, teams, discord, pagerduty, webhook };
  }

  /**
   * Sends once and never throws (a sender that does is a bug, reported as a retryable failure). Each sender
   * has its own timeout; the deadline here also bounds what lies outside it (DNS, settings lookups).
   */
  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<TimedSendResult> {
    const started = performance.now();
    const deadlineMs = Math.round(this.config.ALERTING_DELIVERY_TIMEOUT_MS * 1.5);
    let timer: NodeJS.Timeout | undefined;
    let result: SendResult;
    try {
      result = await Promise.race([
        this.senders[channel.type].send(channel, notification),
        new Promise<SendResult>((resolve) => {
          timer = setTimeout(
            () =>
              resolve({ outcome: 'retryable', statusCode: null, error: `no answer within ${deadlineMs} ms` }),
            deadlineMs,
          );
        }),
      ]);
    } catch (error) {
      this.logger.error(
        { channelId: channel.id, type: channel.type, error: (error as Error).message },
        'sender failed unexpectedly',
      );
      result = { outcome: 'retryable', statusCode: null, error: errorText((error as Error).message) };
    } finally {
      clearTimeout(timer);
    }
    return { ...result, durationMs: Math.round(performance.now() - started) };
  }
}
