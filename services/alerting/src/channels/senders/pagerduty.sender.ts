import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, PagerDutyChannelConfig } from '@optralis/contracts';

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

type EventAction = 'trigger' | 'acknowledge' | 'resolve';

const ACTIONS: Record<AlertNotification['type'], EventAction> = {
  'alert.firing': 'trigger',
  'alert.escalated': 'trigger',
  'alert.acknowledged': 'acknowledge',
  'alert.resolved': 'resolve',
  test: 'trigger',
};

/** An Events API v2 event; `dedup_key` is the alert id, so trigger, acknowledge and resolve meet. */
export function pagerDutyEvent(
  notification: AlertNotification,
  routingKey: string,
  consoleUrl?: string,
): Record<string, unknown> {
  const { alert } = notification;
  const text = describeNotification(notification, consoleUrl);
  return {
    routing_key: routingKey,
    event_action: ACTIONS[notification.type],
    dedup_key: alert.id,
    payload: {
      summary: clip(text.headline, 1024),
      source: alert.host.name || alert.host.id,
      severity: alert.severity,
      timestamp: notification.time,
      component: alert.metric ?? alert.rule.kind,
      group: alert.rule.name,
      class: alert.rule.kind,
      custom_details: {
        summary: text.summary,
        state: alert.state,
        previousState: alert.previousState,
        value: alert.value,
        explanation: alert.explanation,
        labels: alert.labels,
        ruleId: alert.rule.id,
        hostId: alert.host.id,
        startedAt: alert.startedAt,
        acknowledgedBy: alert.acknowledgedBy,
        escalationStep: alert.escalationStep,
      },
    },
    client: 'Optralis',
    ...(text.link && { client_url: text.link }),
  };
}

@Injectable()
export class PagerDutySender implements ChannelSender {
  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = PagerDutyChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    const event = pagerDutyEvent(notification, parsed.data.routingKey, this.config.ALERTING_CONSOLE_URL);
    try {
      const response = await postOutbound({
        url: this.config.ALERTING_PAGERDUTY_EVENTS_URL,
        body: JSON.stringify(event),
        headers: { 'Content-Type': 'application/json' },
        timeoutMs: this.config.ALERTING_DELIVERY_TIMEOUT_MS,
        // The operator sets this URL (a relay on a private network is legitimate); tenants cannot.
        allowPrivate: true,
      });
      return fromHttpResponse(response);
    } catch (error) {
      return fromSendError(error);
    }
  }
}
