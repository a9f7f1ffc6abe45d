import { Command } from 'commander';

import { addConfigOption, type CommandContext, commandLogger, loadCommandConfig } from './command-context';
import { hostCollectorContext, hostReportSource } from './agent.runtime';
import { collectInventory } from '../inventory';

// Rates (CPU, disk and network throughput) need two readings.
const RATE_WINDOW_MS = 1000;

/** `inventory` and `collect`: what the agent would send, printed as JSON, without a server. */
export function inspectCommands(context: CommandContext, version: string): Command[] {
  const inventory = new Command('inventory')
    .description('print the inventory the agent sends (OS, CPU, memory, disks, network interfaces) as JSON')
    .action(async () => {
      const collected = await collectInventory(hostCollectorContext(), version);
      context.stdout.write(`${JSON.stringify(collected, null, 2)}\n`);
    });

  const collect = addConfigOption(
    new Command('collect').description(
      `print the samples of one cycle (collectors and plugins) as JSON; takes ${RATE_WINDOW_MS / 1000} s for the rates`,
    ),
  ).action(async (options: { config?: string }) => {
    const logger = commandLogger(context);
    const { config } = await loadCommandConfig(context, options.config, logger);
    const source = hostReportSource({ config, context, logger, version });
    await source.next();
    await new Promise((resolve) => setTimeout(resolve, RATE_WINDOW_MS));
    const { metrics } = await source.next();
    context.stdout.write(`${JSON.stringify(metrics, null, 2)}\n`);
  });
  return [inventory, collect];
}
