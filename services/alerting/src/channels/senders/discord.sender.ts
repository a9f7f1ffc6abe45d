import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, DiscordChannelConfig } from '@optralis/contracts';

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

/** Discord's limits (developer docs, "Embed Limits"); all embeds of a message share 6000 characters. */
const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embed: 6000,
};

/** A Discord webhook message: the headline as content, one embed with the facts; mentions disabled. */
export function discordMessage(
  notification: AlertNotification,
  consoleUrl?: string,
): Record<string, unknown> {
  const text = describeNotification(notification, consoleUrl);
  const title = clip(text.title, LIMITS.title);
  const fields = text.facts.slice(0, LIMITS.fields).map((fact) => ({
    name: clip(fact.name, LIMITS.fieldName),
    value: clip(fact.value, LIMITS.fieldValue),
    inline: fact.value.length <= 40,
  }));
  const used = [title, ...fields.flatMap((field) => [field.name, field.value])].join('').length;
  return {
    username: 'Optralis',
    content: clip(text.headline, LIMITS.content),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title,
        description: clip(text.summary, Math.min(LIMITS.description, LIMITS.embed - used)),
        color: parseInt(text.color.slice(1), 16),
        timestamp: notification.time,
        ...(text.link && { url: text.link }),
        fields,
      },
    ],
  };
}

@Injectable()
export class DiscordSender implements ChannelSender {
  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = DiscordChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    try {
      const response = await postOutbound({
        url: parsed.data.webhookUrl,
        body: JSON.stringify(discordMessage(notification, this.config.ALERTING_CONSOLE_URL)),
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
