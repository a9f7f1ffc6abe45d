import { Command } from 'commander';

import { requireEnrolled } from '../config/agent-config';
import { addConfigOption, type CommandContext, loadCommandConfig } from './command-context';
import type { JsonLinesLogger } from './json-lines.logger';
import { openAgent } from './agent.runtime';

const STOP_TIMEOUT_MS = 15_000;
const STATUS_LOG_MS = 5 * 60_000;

/** `run`: report every interval until SIGTERM or SIGINT, then finish the report in flight and close the spool. */
export function runCommand(context: CommandContext, logger: JsonLinesLogger, version: string): Command {
  return addConfigOption(
    new Command('run')
      .description('collect and report every interval (what the systemd unit starts)')
      .option('--once', 'one cycle: its report is delivered or spooled, then exit'),
  ).action(async (options: { config?: string; once?: boolean }) => {
    const loaded = await loadCommandConfig(context, options.config, logger);
    logger.setLevel(loaded.config.logLevel);
    const config = requireEnrolled(loaded.config, loaded.path);
    const { loop, host } = await openAgent({ config, context, logger, version });
    logger.info('agent started', {
      version,
      hostId: host.id,
      hostName: host.name,
      server: config.server,
      intervalSeconds: config.intervalSeconds,
      stateDirectory: config.stateDirectory,
      pluginsDirectory: config.pluginsDirectory,
      configFile: loaded.found ? loaded.path : null,
    });
    if (options.once) {
      await loop.cycle();
      await loop.stop();
      logger.info('agent stopped', { ...loop.stats() });
      return;
    }
    loop.start();
    const status = setInterval(() => logger.info('agent status', { ...loop.stats() }), STATUS_LOG_MS);
    status.unref();
    const signal = await context.waitForStopSignal();
    clearInterval(status);
    logger.info('agent stopping', { signal });
    const timeout = setTimeout(() => {
      logger.error('agent did not stop in time, exiting', { timeoutMs: STOP_TIMEOUT_MS });
      context.exit(1);
    }, STOP_TIMEOUT_MS);
    await loop.stop();
    clearTimeout(timeout);
    logger.info('agent stopped', { ...loop.stats() });
  });
}
