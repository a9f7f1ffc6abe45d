import { randomUUID } from 'node:crypto';

import { loadConfig } from '@optralis/config';

import { AlertingEnv } from '../../config';
import { TestTenantSettings } from '../../delivery/testing/test-tenant-settings';
import { anomalyAlert, firingNotification } from '../../delivery/testing/notifications';
import { decodedMail, type SmtpSink, startSmtpSink } from '../../delivery/testing/receivers';
import type { DeliverableChannel } from './channel-sender';
import { EmailSender } from './email.sender';

describe(EmailSender.name, () => {
  let platformSink: SmtpSink;
  let tenantSink: SmtpSink;

  const channel = (tenantId: string): DeliverableChannel => ({
    id: randomUUID(),
    tenantId,
    name: 'ops mail',
    type: 'email',
    enabled: true,
    rateLimitPerMinute: 60,
    sendResolved: true,
    config: { to: ['ops@example.com', 'oncall@example.com'], subjectPrefix: '[Prod]' },
  });

  const setup = (env: Record<string, string> = {}) => {
    const settings = new TestTenantSettings();
    const config = loadConfig(AlertingEnv, {
      ALERTING_DELIVERY_TIMEOUT_MS: '2000',
      ALERTING_SMTP_FROM: 'alerts@optralis.test',
      OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'false',
      ...env,
    });
    return { sut: new EmailSender(config, settings), settings };
  };

  beforeAll(async () => {
    platformSink = await startSmtpSink();
    tenantSink = await startSmtpSink();
  });

  afterAll(async () => {
    await platformSink.close();
    await tenantSink.close();
  });

  it('should send through ALERTING_SMTP_URL with the subject and plain-words body when the tenant set no server', async () => {
    const { sut } = setup({ ALERTING_SMTP_URL: `smtp://127.0.0.1:${platformSink.port}` });
    const tenantId = randomUUID();
    const notification = firingNotification(tenantId, { alert: anomalyAlert });

    const result = await sut.send(channel(tenantId), { ...notification, deliveryId: 'delivery-1' });

    expect(result).toEqual({ outcome: 'delivered', statusCode: 250, error: null });
    const message = platformSink.messages.at(-1)!;
    expect(message.from).toBe('alerts@optralis.test');
    expect(message.to).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(message.raw).toContain('Subject: [Prod] WARNING FIRING: latency anomaly on web-01');
    expect(message.raw).toContain('X-Optralis-Delivery: delivery-1');
    expect(message.raw).toContain('Content-Type: text/html');
    const body = decodedMail(message.raw);
    expect(body).toContain(
      'WARNING — latency anomaly on web-01: http.latency_ms is 850, 18.3 σ above its usual 120',
    );
    expect(body).toContain('Baseline: mean 120, σ 40, z 18.25');
  });

  it('should prefer the tenant SMTP server, checked like any outbound address', async () => {
    const { sut, settings } = setup({ ALERTING_SMTP_URL: `smtp://127.0.0.1:${platformSink.port}` });
    const tenantId = randomUUID();
    const server = {
      host: '127.0.0.1',
      port: tenantSink.port,
      secure: false,
      username: null,
      password: null,
      from: 'noc@tenant.test',
    };
    settings.smtpServers.set(tenantId, server);
    const before = platformSink.messages.length;

    const refused = await sut.send(channel(tenantId), firingNotification(tenantId));
    const { sut: permissive, settings: permissiveSettings } = setup({
      OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
    });
    permissiveSettings.smtpServers.set(tenantId, server);
    const sent = await permissive.send(channel(tenantId), firingNotification(tenantId));

    expect(refused).toMatchObject({
      outcome: 'permanent',
      error: expect.stringContaining('unsafe SMTP server'),
    });
    expect(sent.outcome).toBe('delivered');
    expect(tenantSink.messages.at(-1)!.from).toBe('noc@tenant.test');
    expect(platformSink.messages).toHaveLength(before);
  });

  it('should fail for good when no SMTP server is configured anywhere', async () => {
    const { sut } = setup();
    const tenantId = randomUUID();

    expect(await sut.send(channel(tenantId), firingNotification(tenantId))).toEqual({
      outcome: 'permanent',
      statusCode: null,
      error: 'no SMTP server configured',
    });
  });

  it('should call a refused connection retryable', async () => {
    const { port } = await startSmtpSink().then(async (sink) => {
      await sink.close();
      return sink;
    });
    const { sut } = setup({ ALERTING_SMTP_URL: `smtp://127.0.0.1:${port}` });
    const tenantId = randomUUID();

    const result = await sut.send(channel(tenantId), firingNotification(tenantId));

    expect(result).toMatchObject({ outcome: 'retryable', statusCode: null });
  });
});
