import { randomUUID } from 'node:crypto';

import { anomalyAlert, firingNotification } from '../../delivery/testing/notifications';
import { describeNotification, formatDuration, formatNumber } from './notification-text';

describe('describeNotification', () => {
  const tenantId = randomUUID();

  it('should put severity, rule, host and the evaluator summary in the headline of a firing alert', () => {
    const text = describeNotification(firingNotification(tenantId));

    expect(text.headline).toBe('CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min');
    expect(text.facts).toContainEqual({ name: 'Threshold', value: 'above 90 for 2 min' });
    expect(text.facts).toContainEqual({ name: 'Value', value: '97.2' });
    expect(text.color).toBe('#D92D20');
    expect(text.link).toBeNull();
  });

  it('should show value, mean, σ and z for an anomaly', () => {
    const text = describeNotification(firingNotification(tenantId, { alert: anomalyAlert }));

    expect(text.headline).toBe(
      'WARNING — latency anomaly on web-01: http.latency_ms is 850, 18.3 σ above its usual 120',
    );
    expect(text.facts).toContainEqual({ name: 'Value', value: '850' });
    expect(text.facts).toContainEqual({ name: 'Baseline', value: 'mean 120, σ 40, z 18.25' });
    expect(text.facts).toContainEqual({ name: 'Metric', value: 'http.latency_ms {route=/api}' });
  });

  it('should say resolved, acknowledged by whom and escalated, with a console link when one is set', () => {
    const resolved = firingNotification(tenantId, { type: 'alert.resolved', alert: { state: 'resolved' } });
    const acknowledged = firingNotification(tenantId, {
      type: 'alert.acknowledged',
      alert: { state: 'acknowledged', acknowledgedBy: 'alice' },
    });
    const escalated = firingNotification(tenantId, { type: 'alert.escalated', alert: { escalationStep: 2 } });

    const text = describeNotification(resolved, 'https://optralis.example.com/');
    expect(text.headline).toMatch(/^RESOLVED — cpu high on web-01: /);
    expect(text.color).toBe('#12B76A');
    expect(text.link).toBe(`https://optralis.example.com/alerts/${resolved.alert.id}`);
    expect(describeNotification(acknowledged).title).toBe('ACKNOWLEDGED — cpu high on web-01 (by alice)');
    expect(describeNotification(escalated).title).toBe('CRITICAL (escalated) — cpu high on web-01');
    expect(describeNotification(escalated).facts).toContainEqual({ name: 'Escalation step', value: '2' });
  });

  it('should fall back to the metric and value when the summary is empty', () => {
    const text = describeNotification(firingNotification(tenantId, { alert: { summary: '  ' } }));
    expect(text.headline).toBe('CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2');
  });

  it('should write numbers and durations the way people read them', () => {
    expect([97.2, 0.012345, 25_000_000_000, 3.14159].map(formatNumber)).toEqual([
      '97.2',
      '0.01235',
      '25000000000',
      '3.142',
    ]);
    expect([45, 120, 5400, 172_800].map(formatDuration)).toEqual(['45 s', '2 min', '1.5 h', '2 d']);
  });
});
