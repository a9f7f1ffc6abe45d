import { randomUUID } from 'node:crypto';

import { anomalyAlert, firingNotification } from '../../delivery/testing/notifications';
import { PagerDutyEvent } from '../../delivery/testing/pagerduty-event.schema';
import { discordMessage } from './discord.sender';
import { emailSubject } from './email.sender';
import { pagerDutyEvent } from './pagerduty.sender';
import { slackMessage } from './slack.sender';
import { teamsCard } from './teams.sender';

describe('wire formats', () => {
  const tenantId = randomUUID();
  const routingKey = 'R0UT1NGKEY0123456789abcdPDKY';

  it('should map notification types to PagerDuty actions with the alert id as dedup key', () => {
    const firing = firingNotification(tenantId);
    const types = [
      'alert.firing',
      'alert.escalated',
      'alert.acknowledged',
      'alert.resolved',
      'test',
    ] as const;

    const actions = types.map((type) => pagerDutyEvent({ ...firing, type }, routingKey).event_action);

    expect(actions).toEqual(['trigger', 'trigger', 'acknowledge', 'resolve', 'trigger']);
    const event = PagerDutyEvent.parse(pagerDutyEvent(firing, routingKey, 'https://optralis.example.com'));
    expect(event).toMatchObject({
      dedup_key: firing.alert.id,
      payload: { source: 'web-01', severity: 'critical' },
    });
    expect(event.client_url).toBe(`https://optralis.example.com/alerts/${firing.alert.id}`);
  });

  it('should cut a PagerDuty summary to 1024 characters and Discord fields to their limits', () => {
    const long = firingNotification(tenantId, {
      alert: {
        ...anomalyAlert,
        summary: 'x'.repeat(5000),
        rule: { id: randomUUID(), name: 'r'.repeat(400), kind: 'anomaly' },
      },
    });

    const event = PagerDutyEvent.parse(pagerDutyEvent(long, routingKey));
    const discord = discordMessage(long) as {
      content: string;
      embeds: { title: string; description: string; fields: { name: string; value: string }[] }[];
    };
    const embed = discord.embeds[0]!;
    const embedCharacters = [
      embed.title,
      embed.description,
      ...embed.fields.flatMap((f) => [f.name, f.value]),
    ].join('').length;

    expect(event.payload.summary).toHaveLength(1024);
    expect(discord.content.length).toBeLessThanOrEqual(2000);
    expect(embed.title.length).toBeLessThanOrEqual(256);
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.fields.every((field) => field.value.length <= 1024)).toBe(true);
    expect(embedCharacters).toBeLessThanOrEqual(6000);
  });

  it('should escape Slack markup characters and colour by severity', () => {
    const message = slackMessage(firingNotification(tenantId, { alert: { summary: 'a <b> & c' } }));

    expect(message.text).toBe('CRITICAL — cpu high on web-01: a &lt;b&gt; &amp; c');
    expect(message.attachments?.[0]?.color).toBe('#D92D20');
  });

  it('should build a Teams MessageCard with facts and an email subject with prefix, severity and state', () => {
    const card = teamsCard(firingNotification(tenantId));

    expect(card).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      themeColor: 'D92D20',
      summary: 'CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min',
    });
    expect(emailSubject(firingNotification(tenantId), '[Optralis]')).toBe(
      '[Optralis] CRITICAL FIRING: cpu high on web-01',
    );
  });
});
