import type { Sample } from '@optralis/contracts/agent';

import type { Collector } from '../collectors/collector';
import type { Logger } from '../daemon/json-lines.logger';
import { discoverPlugins, type PluginFile } from './plugin-discovery';
import { type PluginLimits, type PluginRunResult, runPlugin } from './plugin-runner';

export interface PluginsCollectorOptions {
  directory: string;
  limits: PluginLimits;
  concurrency: number;
  /** What plugins see: the agent's environment without its own settings (the token must not leak). */
  environment: Record<string, string>;
  uid: number;
  logger: Logger;
}

/**
 * Every executable of the plugins directory, run once per cycle with at most `concurrency` at a time. The directory
 * is scanned each cycle, so adding a plugin needs no restart; a plugin still running from an earlier cycle (its
 * cycle gave up waiting) is not started twice.
 */
export class PluginsCollector implements Collector {
  readonly name = 'plugins';
  private readonly running = new Set<string>();
  private readonly reported = new Map<string, string>();
  private lastCount = 0;

  constructor(private readonly options: PluginsCollectorOptions) {}

  /** How long a cycle should wait for all plugins: every batch of `concurrency` may use the whole timeout. */
  budgetMs(): number {
    return (
      Math.max(1, Math.ceil(this.lastCount / this.options.concurrency)) * this.options.limits.timeoutMs + 1000
    );
  }

  async collect(): Promise<Sample[]> {
    const discovery = await discoverPlugins(this.options.directory, this.options.uid);
    if (discovery.directoryProblem !== undefined) {
      this.once('directory', discovery.directoryProblem, () =>
        this.options.logger.warn('plugins directory refused, no plugin runs', {
          problem: discovery.directoryProblem,
        }),
      );
    }
    for (const skipped of discovery.skipped) {
      this.once(`skip:${skipped.path}`, skipped.reason, () =>
        this.options.logger[skipped.expected ? 'debug' : 'warn']('plugin skipped', {
          plugin: skipped.name,
          path: skipped.path,
          reason: skipped.reason,
        }),
      );
    }
    this.lastCount = discovery.plugins.length;
    const runnable = discovery.plugins.filter((plugin) => !this.running.has(plugin.path));
    const results = await mapConcurrently(runnable, this.options.concurrency, (plugin) => this.run(plugin));
    return results.flatMap((result) => [...result.samples, ...selfMetrics(result)]);
  }

  private async run(plugin: PluginFile): Promise<PluginRunResult> {
    this.running.add(plugin.path);
    try {
      const result = await runPlugin({
        plugin,
        limits: this.options.limits,
        environment: this.options.environment,
      });
      this.logOutcome(result);
      return result;
    } finally {
      this.running.delete(plugin.path);
    }
  }

  /** Logged when a plugin's state changes, not every cycle: the self metrics carry the ongoing picture. */
  private logOutcome(result: PluginRunResult): void {
    const state = [result.problem ?? 'ok', result.rejectedCount > 0 ? result.rejected[0]?.reason : ''].join(
      '|',
    );
    this.once(`run:${result.plugin}`, state, () => {
      const fields = {
        plugin: result.plugin,
        durationMs: result.durationMs,
        samples: result.samples.length,
        rejectedLines: result.rejectedCount,
        ...(result.rejected.length > 0 ? { firstRejected: result.rejected.slice(0, 3) } : {}),
        ...(result.stderr !== '' ? { stderr: result.stderr.slice(-1000) } : {}),
      };
      if (result.problem !== undefined) this.options.logger.warn(`plugin failed: ${result.problem}`, fields);
      else if (result.rejectedCount > 0)
        this.options.logger.warn('plugin printed lines that were rejected', fields);
      else this.options.logger.info('plugin ok', fields);
    });
  }

  private once(key: string, state: string, log: () => void): void {
    if (this.reported.get(key) === state) return;
    this.reported.set(key, state);
    log();
  }
}

function selfMetrics(result: PluginRunResult): Sample[] {
  const labels = { plugin: result.plugin };
  return [
    { name: 'agent.plugin.ok', value: result.problem === undefined ? 1 : 0, labels },
    { name: 'agent.plugin.duration_ms', value: result.durationMs, labels },
    { name: 'agent.plugin.samples', value: result.samples.length, labels },
    { name: 'agent.plugin.rejected_lines', value: result.rejectedCount, labels },
  ];
}

export async function mapConcurrently<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
