import { HostDetail, ingestRpc, MetricName, type SeriesPoints } from '@optralis/contracts';
import { type Command, Option } from 'commander';

import { collectLabel, durationSeconds } from '../cli-options';
import { type CliContext, type CommandSession, openSession } from '../cli-context';
import { usageError } from '../cli-errors';
import { resolveHost } from '../fleet/host-resolver';
import { formatAgo, formatDuration } from '../format/duration';
import { sparkline, summarise } from '../format/sparkline';
import { terminalText } from '../format/terminal-text';
import { formatValue, unitOf } from '../format/units';

interface HistoryOptions {
  since: number;
  step?: number;
  label?: Record<string, string>;
  json?: boolean;
}

const MetricSeries = ingestRpc['rpc.ingest.metrics.series'].reply;
const MAX_NAMES_SHOWN = 20;

function matches(series: SeriesPoints, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([name, value]) => series.labels[name] === value);
}

function seriesName(series: SeriesPoints): string {
  const labels = Object.entries(series.labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return labels.length > 0 ? `${series.name}{${labels.join(',')}}` : series.name;
}

function describeSeries(session: CommandSession, series: SeriesPoints): string {
  const values = series.points.map(([, value]) => value);
  const summary = summarise(values);
  if (!summary) return `${terminalText(seriesName(series))}: no points\n`;
  const unit = unitOf(series.name);
  const lastTime = series.points[series.points.length - 1][0];
  const figures = (['min', 'avg', 'max', 'last'] as const)
    .map((key) => `${key} ${formatValue(summary[key], unit)}`)
    .join('   ');
  return [
    terminalText(seriesName(series)),
    sparkline(values, session.columns),
    `${figures}   (${values.length} points, last ${formatAgo(lastTime, session.now)})`,
    '',
  ].join('\n');
}

async function explainEmpty(session: CommandSession, hostId: string, metric: string): Promise<string> {
  const host = await session.client.get(`api/v1/hosts/${encodeURIComponent(hostId)}`, {}, HostDetail);
  if (host.metricNames.includes(metric)) return '';
  const names = host.metricNames.slice(0, MAX_NAMES_SHOWN).join(', ');
  const more = host.metricNames.length > MAX_NAMES_SHOWN ? ', …' : '';
  return names ? ` (the host reports ${terminalText(names + more)})` : ' (the host reports no metrics)';
}

export function registerHistoryCommand(program: Command, context: CliContext): void {
  program
    .command('history')
    .description('a metric of one host over time, as a sparkline with min/avg/max/last')
    .argument('<host>', 'host id or name')
    .argument('<metric>', 'metric name, e.g. cpu.usage_pct')
    .addOption(
      new Option('--since <duration>', 'how far back: 15m, 6h, 24h, 7d')
        .argParser(durationSeconds)
        .default(3600, '1h'),
    )
    .option('--step <duration>', 'width of one point (the server widens it when needed)', durationSeconds)
    .option('--label <name=value>', 'only series with this label (repeatable)', collectLabel)
    .option('--json', 'print the series as JSON')
    .action(async (reference: string, metric: string, options: HistoryOptions, self: Command) => {
      if (!MetricName.safeParse(metric).success) {
        throw usageError(`"${terminalText(metric)}" is not a metric name`);
      }
      const session = openSession(context, self);
      const host = await resolveHost(session.client, reference);
      const to = session.now;
      const from = new Date(to.getTime() - options.since * 1000);
      const answer = await session.client.get(
        `api/v1/hosts/${encodeURIComponent(host.id)}/metrics`,
        {
          name: metric,
          from: from.toISOString(),
          to: to.toISOString(),
          step: options.step === undefined ? undefined : String(options.step),
        },
        MetricSeries,
      );
      const series = answer.series.filter((each) => matches(each, options.label ?? {}));
      if (options.json) {
        return session.printJson({ host: { id: host.id, name: host.name }, ...answer, series });
      }
      const window = `last ${formatDuration(options.since)}`;
      if (series.length === 0) {
        const others = answer.series.map((each) => terminalText(seriesName(each))).join(', ');
        const why = others
          ? ` matching the labels (there are ${others})`
          : await explainEmpty(session, host.id, metric);
        return session.note(
          `no points of ${terminalText(metric)} on ${terminalText(host.name)} in the ${window}${why}`,
        );
      }
      session.print(
        `${terminalText(host.name)} · ${window} · ${formatDuration(answer.stepSeconds)} steps (${answer.resolution})\n`,
      );
      for (const each of series) session.print(describeSeries(session, each));
    });
}
