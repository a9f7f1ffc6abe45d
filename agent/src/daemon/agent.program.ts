import { Command, CommanderError } from 'commander';

import { AgentConfigError } from '../config/agent-config';
import { enrollCommand, EnrollmentError } from '../config/enroll.command';
import { pluginCommand } from '../plugins/plugin.command';
import { agentVersion } from './agent.runtime';
import type { CommandContext } from './command-context';
import { inspectCommands } from './inspect.command';
import { JsonLinesLogger } from './json-lines.logger';
import { runCommand } from './run.command';

// EX_CONFIG from sysexits.h, as the services use: systemd's Restart=on-failure still retries it.
const EXIT_CONFIG = 78;

/** Every `optralis-agent` command; resolves with the exit code. */
export async function runAgentProgram(argv: string[], context: CommandContext): Promise<number> {
  const version = agentVersion();
  const logger = new JsonLinesLogger(context.stdout);
  const program = new Command('optralis-agent')
    .description(
      'The Optralis host agent: collects host metrics and plugin output and reports them to Optralis.',
    )
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  program.addCommand(runCommand(context, logger, version));
  program.addCommand(enrollCommand(context.stdout));
  program.addCommand(pluginCommand(context));
  for (const command of inspectCommands(context, version)) program.addCommand(command);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof AgentConfigError) {
      context.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    context.stderr.write(
      `optralis-agent: ${error instanceof EnrollmentError ? '' : 'error: '}${(error as Error).message}\n`,
    );
    return 1;
  }
}
