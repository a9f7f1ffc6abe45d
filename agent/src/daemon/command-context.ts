import type { Command } from 'commander';

import {
  type AgentConfig,
  DEFAULT_CONFIG_PATH,
  ENVIRONMENT_OVERRIDES,
  type Environment,
} from '../config/agent-config';
import { type LoadedAgentConfig, loadAgentConfig } from '../config/config-file';
import { DEFAULT_PLUGIN_LIMITS } from '../plugins/plugin-runner';
import { PluginsCollector } from '../plugins/plugins.collector';
import type { Logger } from '../reporting/logger';
import { JsonLinesLogger } from './json-lines.logger';

export interface Output {
  write(text: string): unknown;
}

/** What the commands get from main.ts instead of touching `process` themselves (so tests can run them). */
export interface CommandContext {
  environment: Environment;
  stdout: Output;
  stderr: Output;
  uid: number;
  setExitCode(code: number): void;
  exit(code: number): void;
  /** Resolves with the name of the first SIGTERM or SIGINT. */
  waitForStopSignal(): Promise<string>;
}

export function addConfigOption(command: Command): Command {
  return command.option('--config <path>', `config file (default ${DEFAULT_CONFIG_PATH})`);
}

/** A path given with --config must exist; the default one may be missing (all settings from the environment). */
export async function loadCommandConfig(
  context: CommandContext,
  configPath: string | undefined,
  logger: Logger,
): Promise<LoadedAgentConfig> {
  const loaded = await loadAgentConfig({
    path: configPath ?? DEFAULT_CONFIG_PATH,
    environment: context.environment,
    explicit: configPath !== undefined,
    uid: context.uid,
  });
  for (const warning of loaded.warnings) logger.warn(warning);
  return loaded;
}

/** Logs of the one-shot commands go to stderr, so their stdout stays pure JSON. */
export function commandLogger(
  context: CommandContext,
  level: AgentConfig['logLevel'] = 'warn',
): JsonLinesLogger {
  return new JsonLinesLogger(context.stderr, level);
}

/** Plugins inherit the environment except the agent's own settings: the ingest token must not reach them. */
export function pluginEnvironment(environment: Environment, config: AgentConfig): Record<string, string> {
  const agentVariables = new Set<string>(Object.keys(ENVIRONMENT_OVERRIDES));
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && !agentVariables.has(name) && !name.startsWith('OPTRALIS_AGENT_'))
      inherited[name] = value;
  }
  return {
    ...inherited,
    OPTRALIS_PLUGIN_TIMEOUT_SECONDS: String(config.pluginTimeoutSeconds),
    OPTRALIS_PLUGIN_INTERVAL_SECONDS: String(config.intervalSeconds),
  };
}

export function createPluginsCollector(input: {
  config: AgentConfig;
  context: CommandContext;
  logger: Logger;
}): PluginsCollector {
  return new PluginsCollector({
    directory: input.config.pluginsDirectory,
    limits: { ...DEFAULT_PLUGIN_LIMITS, timeoutMs: Math.round(input.config.pluginTimeoutSeconds * 1000) },
    concurrency: input.config.pluginConcurrency,
    environment: pluginEnvironment(input.context.environment, input.config),
    uid: input.context.uid,
    logger: input.logger,
  });
}
