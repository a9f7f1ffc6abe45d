import type { AlertNotification, ChannelType } from '@optralis/contracts';

import { OutboundError, type OutboundResponse } from '../outbound-http';

/** A channel as a sender needs it: the whole config, secret fields unsealed. */
export interface DeliverableChannel {
  id: string;
  tenantId: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  rateLimitPerMinute: number;
  sendResolved: boolean;
  config: Record<string, unknown>;
}

/** `retryable`: try again later (429, 5xx, timeouts, network); `permanent`: the same request fails again. */
export type SendOutcome = 'delivered' | 'retryable' | 'permanent';

export interface SendResult {
  outcome: SendOutcome;
  /** The HTTP status (or SMTP reply code) the endpoint answered with, if it answered. */
  statusCode: number | null;
  error: string | null;
}

/** Turns a notification into one channel type's wire format and sends it, once. */
export interface ChannelSender {
  send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult>;
}

export const delivered = (statusCode: number | null): SendResult => ({
  outcome: 'delivered',
  statusCode,
  error: null,
});

export const permanentFailure = (error: string, statusCode: number | null = null): SendResult => ({
  outcome: 'permanent',
  statusCode,
  error,
});

/** The error text kept with a delivery: short, one line. */
export function errorText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** 2xx delivered; 408, 425, 429 and 5xx worth another try; any other answer will not change. */
export function fromHttpStatus(status: number, body: string): SendResult {
  if (status >= 200 && status < 300) return delivered(status);
  const error = errorText(`HTTP ${status}${body ? `: ${body}` : ''}`);
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  return { outcome: retryable ? 'retryable' : 'permanent', statusCode: status, error };
}

export function fromHttpResponse(response: OutboundResponse): SendResult {
  return fromHttpStatus(response.status, response.body);
}

/** A refused destination never becomes safe by retrying; timeouts and network errors may pass later. */
export function fromSendError(error: unknown): SendResult {
  if (error instanceof OutboundError) {
    return {
      outcome: error.failure === 'unsafe' ? 'permanent' : 'retryable',
      statusCode: null,
      error: errorText(error.failure === 'unsafe' ? `unsafe destination: ${error.message}` : error.message),
    };
  }
  return { outcome: 'retryable', statusCode: null, error: errorText((error as Error).message) };
}
