import {
  Alert,
  ALERT_SEVERITIES,
  ALERT_STATES,
  type AlertSeverity,
  type AlertState,
} from '@optralis/contracts';
import { type Command, Option } from 'commander';

import { positiveInteger } from '../cli-options';
import { type CliContext, openSession } from '../cli-context';
import { resolveHost } from '../fleet/host-resolver';
import { formatAgo } from '../format/duration';
import { renderTable } from '../format/table';
import { formatValue, unitOf } from '../format/units';

interface AlertsOptions {
  state?: AlertState;
  severity?: AlertSeverity;
  host?: string;
  open?: boolean;
  limit: number;
  json?: boolean;
}

const DEFAULT_LIMIT = 100;

function value(alert: Alert): string {
  if (alert.value === null) return '';
  return formatValue(alert.value, alert.metric ? unitOf(alert.metric) : 'plain');
}

export function registerAlertsCommand(program: Command, context: CliContext): void {
  program
    .command('alerts')
    .description('alerts of your tenant, newest first')
    .addOption(new Option('--state <state>', 'only alerts in this state').choices(ALERT_STATES))
    .addOption(new Option('--severity <severity>', 'only alerts of this severity').choices(ALERT_SEVERITIES))
    .option('--host <host>', 'only alerts of this host (id or name)')
    .option('--open', 'only open alerts: pending, firing, acknowledged or suppressed')
    .option('--limit <n>', 'at most this many alerts', positiveInteger, DEFAULT_LIMIT)
    .option('--json', 'print the alerts as JSON')
    .action(async (options: AlertsOptions, self: Command) => {
      const session = openSession(context, self);
      const hostId = options.host ? (await resolveHost(session.client, options.host)).id : undefined;
      const progress = session.progress();
      const { items, more } = await session.client.list({
        path: 'api/v1/alerts',
        query: {
          state: options.state,
          severity: options.severity,
          hostId,
          open: options.open ? 'true' : undefined,
        },
        item: Alert,
        limit: options.limit,
        onPage: (count) => progress.update(`${count} alerts…`),
      });
      progress.done();
      if (more) session.note(`optralis: showing the newest ${items.length} alerts; raise --limit for more`);
      if (options.json) return session.printJson(items);
      if (items.length === 0) return session.note('no alerts match');
      const rows = items.map((alert) => [
        formatAgo(alert.startedAt, session.now),
        alert.severity,
        alert.state + (alert.flapping ? ' (flapping)' : ''),
        alert.hostName,
        alert.ruleName,
        value(alert),
        alert.summary,
        alert.id,
      ]);
      session.print(
        renderTable(['STARTED', 'SEVERITY', 'STATE', 'HOST', 'RULE', 'VALUE', 'SUMMARY', 'ID'], rows),
      );
    });
}
