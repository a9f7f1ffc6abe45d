import type { Command } from 'commander';

import { type CliEnvironment, resolveConnection } from './cli-settings';
import { createProgress, type Progress } from './format/progress';
import { safeJson } from './format/terminal-text';
import { GatewayClient } from './gateway-client';

export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

/** What the CLI gets from the process; tests hand in their own. */
export interface CliContext {
  environment: CliEnvironment;
  stdout: OutputStream;
  stderr: OutputStream;
  now(): Date;
  /** Instead of ~/.config/optralis/cli.json. */
  configFile?: string;
}

export type GlobalOptions = {
  server?: string;
  token?: string;
  /** Seconds. */
  timeout: number;
  progress?: boolean;
};

/** One command's connection and outputs: data on stdout, everything else on stderr. */
export interface CommandSession {
  client: GatewayClient;
  now: Date;
  /** Width available for one line of stdout. */
  columns: number;
  /** On stderr when it is a terminal, unless `--[no-]progress` says otherwise or `auto` is false. */
  progress(auto?: boolean): Progress;
  print(text: string): void;
  printJson(value: unknown): void;
  /** A message for the person (stderr); the caller makes server text safe first. */
  note(text: string): void;
}

const DEFAULT_COLUMNS = 80;

export function openSession(context: CliContext, command: Command): CommandSession {
  const options = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection({
    flags: { server: options.server, token: options.token },
    environment: context.environment,
    configFile: context.configFile,
  });
  const client = new GatewayClient({ ...connection, timeoutMs: options.timeout * 1000 });
  return {
    client,
    now: context.now(),
    columns: context.stdout.isTTY && context.stdout.columns ? context.stdout.columns : DEFAULT_COLUMNS,
    progress: (auto = true) =>
      createProgress({
        stream: context.stderr,
        enabled: options.progress ?? (auto && context.stderr.isTTY === true),
      }),
    print: (text) => context.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    printJson: (value) => context.stdout.write(`${safeJson(value)}\n`),
    note: (text) => context.stderr.write(`${text}\n`),
  };
}
