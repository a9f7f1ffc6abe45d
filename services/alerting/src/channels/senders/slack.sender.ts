import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, SlackChannelConfig } from '@optralis/contracts';
import {
  type FetchFunction,
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';

import { ALERTING_CONFIG } from '../../alerting.config.provider';
import type { AlertingConfig } from '../../config';
import { postOutbound } from '../outbound-http';
import {
  type ChannelSender,
  type DeliverableChannel,
  delivered,
  fromHttpStatus,
  fromSendError,
  permanentFailure,
  type SendResult,
} from './channel-sender';
import { clip, describeNotification } from './notification-text';

/** Slack reads `&`, `<` and `>` as markup (links, mentions) unless escaped. */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack message: the headline as fallback text, a coloured attachment with the summary and facts. */
export function slackMessage(
  notification: AlertNotification,
  consoleUrl?: string,
): IncomingWebhookSendArguments {
  const text = describeNotification(notification, consoleUrl);
  const link = text.link ? `\n<${text.link}|Open in Optralis>` : '';
  return {
    text: clip(escaped(text.headline), 3000),
    unfurl_links: false,
    attachments: [
      {
        color: text.color,
        fallback: clip(text.headline, 3000),
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: clip(`*${escaped(text.title)}*\n${escaped(text.summary)}${link}`, 3000),
            },
          },
          {
            type: 'section',
            fields: text.facts.slice(0, 10).map((fact) => ({
              type: 'mrkdwn',
              text: clip(`*${escaped(fact.name)}*\n${escaped(fact.value)}`, 2000),
            })),
          },
        ],
      },
    ],
  };
}

/** `@slack/webhook` on this service's guarded HTTP client: public addresses only, no redirects, a deadline. */
function guardedFetch(config: AlertingConfig): FetchFunction {
  return async (url, init) => {
    const response = await postOutbound({
      url: String(url),
      body: typeof init?.body === 'string' ? init.body : '',
      headers: init?.headers ?? {},
      timeoutMs: config.ALERTING_DELIVERY_TIMEOUT_MS,
      allowPrivate: config.OPTRALIS_OUTBOUND_ALLOW_PRIVATE,
      signal: init?.signal,
    });
    const headers = new Map(Object.entries(response.headers));
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      statusText: response.statusText,
      url: String(url),
      headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
      text: async () => response.body,
      json: async () => JSON.parse(response.body) as unknown,
      arrayBuffer: async () => new TextEncoder().encode(response.body).buffer as ArrayBuffer,
    };
  };
}

@Injectable()
export class SlackSender implements ChannelSender {
  private readonly fetch: FetchFunction;

  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {
    this.fetch = guardedFetch(config);
  }

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = SlackChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    const webhook = new IncomingWebhook(parsed.data.webhookUrl, {
      fetch: this.fetch,
      timeout: this.config.ALERTING_DELIVERY_TIMEOUT_MS,
      retryConfig: { retries: 0 },
    });
    try {
      await webhook.send(slackMessage(notification, this.config.ALERTING_CONSOLE_URL));
      return delivered(200);
    } catch (error) {
      if (error instanceof IncomingWebhookHTTPError) return fromHttpStatus(error.statusCode, error.body);
      if (error instanceof IncomingWebhookRequestError) return fromSendError(error.original);
      return fromSendError(error);
    }
  }
}
