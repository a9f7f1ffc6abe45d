import { createHmac } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, WebhookChannelConfig } from '@optralis/contracts';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@optralis/service-kit';

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

/** `sha256=` + hex HMAC-SHA256 of `timestamp + "." + body` (CONTRACT.md, webhook delivery). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs the AlertNotification itself, signed; `X-Optralis-Delivery` lets receivers drop repeats. */
@Injectable()
export class WebhookSender implements ChannelSender {
  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = WebhookChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    const body = JSON.stringify(notification);
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await postOutbound({
        url: parsed.data.url,
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': `Optralis/${this.identity.version}`,
          'X-Optralis-Timestamp': timestamp,
          'X-Optralis-Signature': webhookSignature(parsed.data.secret, timestamp, body),
          'X-Optralis-Delivery': notification.deliveryId,
        },
        timeoutMs: this.config.ALERTING_DELIVERY_TIMEOUT_MS,
        allowPrivate: this.config.OPTRALIS_OUTBOUND_ALLOW_PRIVATE,
      });
      return fromHttpResponse(response);
    } catch (error) {
      return fromSendError(error);
    }
  }
}
