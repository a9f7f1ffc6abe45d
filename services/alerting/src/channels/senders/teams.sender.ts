import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, TeamsChannelConfig } from '@optralis/contracts';

import { ALERTING_CONFIG } from '../../alerting.config.provider';
import type { AlertingConfig } from '../../config';
import { postOutbound } from '../outbound-http';
import {
  type ChannelSender,
  type DeliverableChannel,
  fromHttpResponse,
  fromSendError,
  permanentFailure,
  type SendResult,
} from './channel-sender';
import { clip, describeNotification } from './notification-text';

/** An Office 365 connector card, as Teams incoming webhooks take it. */
export function teamsCard(notification: AlertNotification, consoleUrl?: string): Record<string, unknown> {
  const text = describeNotification(notification, consoleUrl);
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    themeColor: text.color.slice(1),
    summary: clip(text.headline, 256),
    title: text.title,
    sections: [
      {
        activityTitle: text.title,
        activitySubtitle: notification.time,
        text: text.summary,
        facts: text.facts,
        markdown: false,
      },
    ],
    ...(text.link && {
      potentialAction: [
        { '@type': 'OpenUri', name: 'Open in Optralis', targets: [{ os: 'default', uri: text.link }] },
      ],
    }),
  };
}

@Injectable()
export class TeamsSender implements ChannelSender {
  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = TeamsChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    try {
      const response = await postOutbound({
        url: parsed.data.webhookUrl,
        body: JSON.stringify(teamsCard(notification, this.config.ALERTING_CONSOLE_URL)),
        headers: { 'Content-Type': 'application/json' },
        timeoutMs: this.config.ALERTING_DELIVERY_TIMEOUT_MS,
        allowPrivate: this.config.OPTRALIS_OUTBOUND_ALLOW_PRIVATE,
      });
      return fromHttpResponse(response);
    } catch (error) {
      return fromSendError(error);
    }
  }
}
