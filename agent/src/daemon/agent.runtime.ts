import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

import {
  type Collector,
  type CollectorContext,
  commandRunner,
  createCollectors,
  LINUX_PATHS,
} from '../collectors';
import type { AgentConfig, EnrolledAgentConfig } from '../config/agent-config';
import { collectInventory, hardwareId } from '../inventory';
import type { Logger } from '../reporting/logger';
import type { ReportHost } from '../reporting/report-builder';
import { ReportingLoop } from '../reporting/reporting-loop';
import { type CommandContext, createPluginsCollector } from './command-context';
import { HostReportSource } from './host-report.source';

export const INVENTORY_REFRESH_MS = 10 * 60_000;
const INVENTORY_TIMEOUT_MS = 30_000;

export function hostCollectorContext(): CollectorContext {
  return { paths: LINUX_PATHS, now: Date.now, run: commandRunner };
}

/** The built-in collectors the config does not disable, and the plugins unless `plugins` is disabled. */
export function enabledCollectors(input: {
  config: AgentConfig;
  context: CommandContext;
  collectorContext: CollectorContext;
  logger: Logger;
}): { collectors: Collector[]; budgetMs: (collector: Collector) => number } {
  const disabled = new Set(input.config.collectors.disabled);
  const builtIn = createCollectors(input.collectorContext);
  const known = new Set([...builtIn.map((collector) => collector.name), 'plugins']);
  const unknown = [...disabled].filter((name) => !known.has(name));
  if (unknown.length > 0)
    input.logger.warn('collectors.disabled names no collector', { unknown, known: [...known] });
  const plugins = disabled.has('plugins') ? undefined : createPluginsCollector(input);
  const collectors = [
    ...builtIn.filter((collector) => !disabled.has(collector.name)),
    ...(plugins ? [plugins] : []),
  ];
  const perCollectorMs = Math.min(5000, Math.max(1000, input.config.intervalSeconds * 1000));
  return {
    collectors,
    budgetMs: (collector) => (collector === plugins ? plugins.budgetMs() : perCollectorMs),
  };
}

export function hostReportSource(input: {
  config: AgentConfig;
  context: CommandContext;
  logger: Logger;
  version: string;
  collectorContext?: CollectorContext;
}): HostReportSource {
  const collectorContext = input.collectorContext ?? hostCollectorContext();
  const { collectors, budgetMs } = enabledCollectors({ ...input, collectorContext });
  return new HostReportSource({
    collectors,
    collectInventory: () => collectInventory(collectorContext, input.version),
    inventoryRefreshMs: INVENTORY_REFRESH_MS,
    inventoryTimeoutMs: INVENTORY_TIMEOUT_MS,
    collectorTimeoutMs: budgetMs,
    logger: input.logger,
  });
}

/** config → collectors and plugins → report source → reporting loop (spool, sequence, HTTP sender). */
export async function openAgent(input: {
  config: EnrolledAgentConfig;
  context: CommandContext;
  logger: Logger;
  version: string;
}): Promise<{ loop: ReportingLoop; host: ReportHost }> {
  const { config, logger } = input;
  const collectorContext = hostCollectorContext();
  const host: ReportHost = {
    id: config.host.id ?? (await hardwareId(collectorContext)),
    name: config.host.name ?? hostname(),
    ...(config.host.tags.length > 0 ? { tags: config.host.tags } : {}),
  };
  const loop = await ReportingLoop.open({
    serverUrl: config.server,
    token: config.token,
    intervalMs: config.intervalSeconds * 1000,
    host,
    stateDirectory: config.stateDirectory,
    spool: { maxBytes: config.spool.maxBytes, maxAgeMs: config.spool.maxAgeSeconds * 1000 },
    source: hostReportSource({ ...input, collectorContext }),
    logger,
  });
  return { loop, host };
}

/** The version in the agent's package.json, found from src/ (tests) or dist/src/ (the built binary). */
export function agentVersion(): string {
  let directory = __dirname;
  for (let depth = 0; depth < 5; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@optralis/agent' && manifest.version !== undefined) return manifest.version;
    } catch {
      // not here; one level up
    }
    directory = dirname(directory);
  }
  return '0.0.0';
}
