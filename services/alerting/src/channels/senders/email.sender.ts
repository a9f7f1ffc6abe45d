import { Inject, Injectable } from '@nestjs/common';
import { type AlertNotification, EmailChannelConfig } from '@optralis/contracts';
import { createTransport } from 'nodemailer';

import { ALERTING_CONFIG } from '../../alerting.config.provider';
import type { AlertingConfig } from '../../config';
import { type SmtpSettings, TenantSettingsSource } from '../../shared/ports';
import { resolveOutboundHost, UnsafeUrlError } from '../outbound-url.guard';
import {
  type ChannelSender,
  type DeliverableChannel,
  delivered,
  errorText,
  permanentFailure,
  type SendResult,
} from './channel-sender';
import { describeNotification } from './notification-text';

/** Where mail goes and how, with `trusted` false for tenant servers (their address is checked). */
interface SmtpServer extends SmtpSettings {
  trusted: boolean;
}

/** Codes that mean the message or the account is wrong, not the moment. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS']);

/** ALERTING_SMTP_URL as settings: smtp://user:pass@host:587 or smtps://host:465. */
export function smtpFromUrl(text: string, from: string): SmtpSettings {
  const url = new URL(text);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
    from,
  };
}

export function emailSubject(notification: AlertNotification, prefix: string): string {
  const { alert } = notification;
  const what =
    notification.type === 'test'
      ? 'TEST'
      : `${alert.severity.toUpperCase()} ${alert.state.toUpperCase()}${notification.type === 'alert.escalated' ? ' (escalated)' : ''}`;
  return `${prefix} ${what}: ${alert.rule.name} on ${alert.host.name}`.replace(/\s+/g, ' ').trim();
}

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function emailBodies(
  notification: AlertNotification,
  consoleUrl?: string,
): { text: string; html: string } {
  const text = describeNotification(notification, consoleUrl);
  const lines = [text.headline, '', ...text.facts.map((fact) => `${fact.name}: ${fact.value}`)];
  if (text.link) lines.push('', text.link);
  const rows = text.facts
    .map((fact) => `<tr><th align="left">${html(fact.name)}</th><td>${html(fact.value)}</td></tr>`)
    .join('');
  const link = text.link ? `<p><a href="${html(text.link)}">Open in Optralis</a></p>` : '';
  return {
    text: `${lines.join('\n')}\n`,
    html:
      `<div style="font-family:sans-serif"><h2 style="color:${text.color}">${html(text.title)}</h2>` +
      `<p>${html(text.summary)}</p><table cellpadding="4">${rows}</table>${link}</div>`,
  };
}

function fromMailError(error: unknown): SendResult {
  if (error instanceof UnsafeUrlError) return permanentFailure(`unsafe SMTP server: ${error.message}`);
  const failure = error as { code?: string; responseCode?: number; message?: string };
  const statusCode = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const permanent =
    statusCode !== null
      ? statusCode >= 500 && statusCode !== 503
      : failure.code !== undefined && PERMANENT_CODES.has(failure.code);
  return {
    outcome: permanent ? 'permanent' : 'retryable',
    statusCode,
    error: errorText(failure.message ?? String(error)),
  };
}

/** Mail over SMTP: the tenant's server if it set one, else ALERTING_SMTP_URL. */
@Injectable()
export class EmailSender implements ChannelSender {
  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly settings: TenantSettingsSource,
  ) {}

  async send(channel: DeliverableChannel, notification: AlertNotification): Promise<SendResult> {
    const parsed = EmailChannelConfig.safeParse(channel.config);
    if (!parsed.success) return permanentFailure('the channel configuration is invalid');
    const timeoutMs = this.config.ALERTING_DELIVERY_TIMEOUT_MS;
    try {
      const server = await this.server(channel.tenantId);
      if (!server) return permanentFailure('no SMTP server configured');
      // Connect to the address checked, with the name kept for TLS, so DNS cannot answer differently later.
      const address = await resolveOutboundHost(
        server.host,
        server.trusted || this.config.OPTRALIS_OUTBOUND_ALLOW_PRIVATE,
      );
      const transport = createTransport({
        host: address,
        port: server.port,
        secure: server.secure,
        servername: server.host,
        auth: server.username ? { user: server.username, pass: server.password ?? '' } : undefined,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      try {
        const info = await transport.sendMail({
          from: server.from,
          to: parsed.data.to,
          subject: emailSubject(notification, parsed.data.subjectPrefix),
          ...emailBodies(notification, this.config.ALERTING_CONSOLE_URL),
          headers: { 'X-Optralis-Delivery': notification.deliveryId },
          signal: AbortSignal.timeout(timeoutMs),
        });
        return delivered(Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250));
      } finally {
        transport.close();
      }
    } catch (error) {
      return fromMailError(error);
    }
  }

  private async server(tenantId: string): Promise<SmtpServer | null> {
    const tenant = await this.settings.smtp(tenantId);
    if (tenant) return { ...tenant, trusted: false };
    if (!this.config.ALERTING_SMTP_URL) return null;
    return { ...smtpFromUrl(this.config.ALERTING_SMTP_URL, this.config.ALERTING_SMTP_FROM), trusted: true };
  }
}
