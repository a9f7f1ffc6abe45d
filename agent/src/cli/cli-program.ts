import { Command, CommanderError, Option } from 'commander';

import { registerAlertsCommand } from './commands/alerts.command';
import { registerExportCommand } from './commands/export.command';
import { registerHistoryCommand } from './commands/history.command';
import { registerHostsCommand } from './commands/hosts.command';
import { durationSeconds } from './cli-options';
import type { CliContext } from './cli-context';
import { CliError, ExitCode } from './cli-errors';
import { terminalText } from './format/terminal-text';

const DEFAULT_TIMEOUT_SECONDS = 30;

export function buildProgram(context: CliContext): Command {
  const program = new Command('optralis')
    .description('Optralis from the command line: hosts, metric history, alerts and exports')
    .option('--server <url>', 'gateway address (env OPTRALIS_SERVER)')
    .option('--token <token>', 'API token (env OPTRALIS_TOKEN; safer there than in the process list)')
    .addOption(
      new Option('--timeout <duration>', 'request timeout; for downloads, the longest silence')
        .argParser(durationSeconds)
        .default(DEFAULT_TIMEOUT_SECONDS, '30s'),
    )
    .option('--progress', 'progress on stderr even when it is not a terminal')
    .option('--no-progress', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nThe server and token may also come from ~/.config/optralis/cli.json: { "server": "…", "token": "…" }.\n' +
        'Exit codes: 1 error, 2 usage, 3 not authorised, 4 not found, 5 server unreachable or failing.',
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  registerHostsCommand(program, context);
  registerHistoryCommand(program, context);
  registerAlertsCommand(program, context);
  registerExportCommand(program, context);
  return program;
}

/** Runs one command line and answers its exit code; nothing here exits the process. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<ExitCode> {
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    // Commander has already printed its message (or the help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    if (error instanceof CliError) {
      context.stderr.write(`optralis: ${terminalText(error.message)}\n`);
      return error.exitCode;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.stderr.write(`optralis: unexpected error: ${terminalText(text)}\n`);
    return ExitCode.Generic;
  }
}
