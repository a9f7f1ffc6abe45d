// What the benchmark asks alerting over rpc.alerting.*: the webhook channel and the rules it measures,
// and afterwards how many alerts they opened and why a breach went unnotified.
import { SHOWN_MISSING } from './bench-results.mjs';
import { ANOMALY_METRIC, BREACH_METRIC } from './metrics-load.mjs';

const ALERT_PAGES = 40;

/** The webhook channel, the threshold rule that notifies it and an anomaly rule that only evaluates. */
export async function configure(call, actor, { webhookUrl, secret, minDeviation }) {
  const channel = await call('channels.create', {
    actor,
    channel: {
      name: 'bench webhook',
      type: 'webhook',
      config: { url: webhookUrl, secret },
      rateLimitPerMinute: 10_000,
      sendResolved: true,
    },
  });
  const threshold = await call('rules.create', {
    actor,
    rule: {
      name: 'bench cpu',
      kind: 'threshold',
      metric: BREACH_METRIC,
      operator: '>',
      warning: null,
      critical: 95,
      forSeconds: 0,
      channelIds: [channel.id],
    },
  });
  const anomaly = await call('rules.create', {
    actor,
    rule: {
      name: 'bench mem anomaly',
      kind: 'anomaly',
      metric: ANOMALY_METRIC,
      minDeviation,
      channelIds: [],
    },
  });
  console.log(`channel ${channel.id}, threshold rule ${threshold.id}, anomaly rule ${anomaly.id}`);
  return { channel, threshold, anomaly };
}

/** Alerts of `ruleId` that started since `from`, counted through rpc.alerting.alerts.list (capped). */
export async function countAlerts(call, actor, ruleId, from) {
  let count = 0;
  let cursor;
  for (let page = 0; page < ALERT_PAGES; page++) {
    const reply = await call('alerts.list', {
      actor,
      ruleId,
      from,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    count += reply.items.length;
    cursor = reply.nextCursor;
    if (!cursor) return String(count);
  }
  return `≥ ${count}`;
}

/** Why the first missing breaches have no webhook, as far as rpc.alerting.alerts.list tells. */
export async function explainMissing(call, actor, ruleId, missing) {
  const notes = [];
  for (const injection of missing.slice(0, SHOWN_MISSING)) {
    try {
      const { items } = await call('alerts.list', { actor, hostId: injection.hostId, ruleId, limit: 5 });
      notes.push(
        items.length === 0
          ? 'no alert was opened'
          : items
              .map((alert) => `alert ${alert.id.slice(0, 8)} ${alert.state} from ${alert.startedAt}`)
              .join('; '),
      );
    } catch (error) {
      notes.push(`alerts.list failed: ${error.message.split('\n')[0]}`);
    }
  }
  return notes;
}
