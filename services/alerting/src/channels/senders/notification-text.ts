import { AnomalyExplanation, type AlertNotification, ThresholdExplanation } from '@optralis/contracts';

export interface Fact {
  name: string;
  value: string;
}

/** A notification in plain words, shared by every channel type. */
export interface NotificationText {
  /** `CRITICAL`, `RESOLVED`, `TEST`, … */
  label: string;
  /** "CRITICAL — cpu high on web-01: cpu.usage_pct is 97.2, above 90 for 2 min" */
  headline: string;
  /** "CRITICAL — cpu high on web-01" */
  title: string;
  /** What happened, in the evaluator's words. */
  summary: string;
  facts: Fact[];
  /** The alert in the console, when ALERTING_CONSOLE_URL is set. */
  link: string | null;
  /** `#rrggbb`: red, orange or blue by severity; green once resolved; grey once acknowledged. */
  color: string;
}

const SEVERITY_COLORS = { critical: '#D92D20', warning: '#F79009', info: '#2E90FA' } as const;

/** 97.2, 0.0123, 25000000000: four significant digits without trailing zeros. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${formatNumber(seconds / 3600)} h`;
  return `${formatNumber(seconds / 86_400)} d`;
}

const OPERATOR_WORDS: Record<string, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
  '==': 'equal to',
  '!=': 'not equal to',
};

function labelOf(notification: AlertNotification): string {
  const severity = notification.alert.severity.toUpperCase();
  switch (notification.type) {
    case 'alert.resolved':
      return 'RESOLVED';
    case 'alert.acknowledged':
      return 'ACKNOWLEDGED';
    case 'alert.escalated':
      return `${severity} (escalated)`;
    case 'test':
      return 'TEST';
    default:
      return severity;
  }
}

function seriesName(alert: AlertNotification['alert']): string | null {
  if (!alert.metric) return null;
  const labels = Object.entries(alert.labels).map(([key, value]) => `${key}=${value}`);
  return labels.length > 0 ? `${alert.metric} {${labels.join(', ')}}` : alert.metric;
}

function fallbackSummary(alert: AlertNotification['alert']): string {
  const metric = alert.metric ?? alert.rule.name;
  return alert.value === null
    ? `${metric} on ${alert.host.name}`
    : `${metric} is ${formatNumber(alert.value)}`;
}

function explanationFacts(explanation: unknown): Fact[] {
  const anomaly = AnomalyExplanation.safeParse(explanation);
  if (anomaly.success) {
    const { mean, sigma, z } = anomaly.data;
    return [
      {
        name: 'Baseline',
        value: `mean ${formatNumber(mean)}, σ ${formatNumber(sigma)}, z ${formatNumber(z)}`,
      },
    ];
  }
  const threshold = ThresholdExplanation.safeParse(explanation);
  if (threshold.success) {
    const { operator, level, breachedForSeconds } = threshold.data;
    const words = `${OPERATOR_WORDS[operator] ?? operator} ${formatNumber(level)}`;
    const span = breachedForSeconds > 0 ? ` for ${formatDuration(breachedForSeconds)}` : '';
    return [{ name: 'Threshold', value: `${words}${span}` }];
  }
  return [];
}

function factsOf(notification: AlertNotification): Fact[] {
  const { alert } = notification;
  const facts: Fact[] = [
    { name: 'Severity', value: alert.severity },
    {
      name: 'State',
      value: alert.previousState ? `${alert.state} (was ${alert.previousState})` : alert.state,
    },
    { name: 'Rule', value: `${alert.rule.name} (${alert.rule.kind})` },
    { name: 'Host', value: alert.host.name },
  ];
  const series = seriesName(alert);
  if (series) facts.push({ name: 'Metric', value: series });
  if (alert.value !== null) facts.push({ name: 'Value', value: formatNumber(alert.value) });
  facts.push(...explanationFacts(alert.explanation));
  if (alert.escalationStep !== null)
    facts.push({ name: 'Escalation step', value: String(alert.escalationStep) });
  if (alert.acknowledgedBy) facts.push({ name: 'Acknowledged by', value: alert.acknowledgedBy });
  facts.push({ name: 'Started', value: alert.startedAt });
  return facts;
}

function colorOf(notification: AlertNotification): string {
  if (notification.type === 'alert.resolved') return '#12B76A';
  if (notification.type === 'alert.acknowledged') return '#98A2B3';
  return SEVERITY_COLORS[notification.alert.severity];
}

export function describeNotification(notification: AlertNotification, consoleUrl?: string): NotificationText {
  const { alert } = notification;
  const label = labelOf(notification);
  const by =
    notification.type === 'alert.acknowledged' && alert.acknowledgedBy ? ` (by ${alert.acknowledgedBy})` : '';
  const title = `${label} — ${alert.rule.name} on ${alert.host.name}${by}`;
  const summary = alert.summary.trim() || fallbackSummary(alert);
  const link =
    consoleUrl && notification.type !== 'test'
      ? `${consoleUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alert.id)}`
      : null;
  return {
    label,
    headline: `${title}: ${summary}`,
    title,
    summary,
    facts: factsOf(notification),
    link,
    color: colorOf(notification),
  };
}

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
}
