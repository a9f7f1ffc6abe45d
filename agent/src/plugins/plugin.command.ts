import { Command } from 'commander';

import {
  addConfigOption,
  type CommandContext,
  commandLogger,
  loadCommandConfig,
  pluginEnvironment,
} from '../daemon/command-context';
import { DEFAULT_PLUGIN_LIMITS, runPlugin } from './plugin-runner';
import { discoverPlugins } from './plugin-discovery';

/** `plugin list` and `plugin run NAME`: what a plugin author needs to see what the agent would send, and why not. */
export function pluginCommand(context: CommandContext): Command {
  const plugin = new Command('plugin').description('inspect and try the plugins of the plugins directory');

  addConfigOption(
    plugin.command('list').description('plugins that would run, and the files skipped with why'),
  ).action(async (options: { config?: string }) => {
    const { config } = await loadCommandConfig(context, options.config, commandLogger(context));
    const found = await discoverPlugins(config.pluginsDirectory, context.uid);
    context.stdout.write(
      `${JSON.stringify(
        {
          directory: config.pluginsDirectory,
          ...(found.directoryProblem === undefined ? {} : { directoryProblem: found.directoryProblem }),
          plugins: found.plugins.map((file) => file.name),
          skipped: found.skipped.map(({ name, reason }) => ({ name, reason })),
        },
        null,
        2,
      )}\n`,
    );
  });

  addConfigOption(
    plugin
      .command('run')
      .description('run one plugin once and print the samples it would send and the lines rejected')
      .argument('<name>', 'file name in the plugins directory'),
  ).action(async (name: string, options: { config?: string }) => {
    const { config } = await loadCommandConfig(context, options.config, commandLogger(context));
    const found = await discoverPlugins(config.pluginsDirectory, context.uid);
    if (found.directoryProblem !== undefined)
      throw new Error(`plugins directory refused: ${found.directoryProblem}`);
    const skipped = found.skipped.find((file) => file.name === name);
    if (skipped !== undefined) throw new Error(`plugin "${name}" would not run: ${skipped.reason}`);
    const file = found.plugins.find((candidate) => candidate.name === name);
    if (file === undefined) throw new Error(`no plugin "${name}" in ${config.pluginsDirectory}`);
    const result = await runPlugin({
      plugin: file,
      limits: { ...DEFAULT_PLUGIN_LIMITS, timeoutMs: Math.round(config.pluginTimeoutSeconds * 1000) },
      environment: pluginEnvironment(context.environment, config),
    });
    context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.problem !== undefined || result.rejectedCount > 0) context.setExitCode(1);
  });
  return plugin;
}
