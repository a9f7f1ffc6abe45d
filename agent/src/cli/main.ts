#!/usr/bin/env node
import { runCli } from './cli-program';
import { CliEnvironment } from './cli-settings';

// `optralis hosts | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), {
  // eslint-disable-next-line no-restricted-properties -- the one place the CLI reads its environment
  environment: CliEnvironment.parse(process.env),
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
}).then((code) => {
  // exitCode rather than exit(): stdout may still be draining into a pipe.
  process.exitCode = code;
});
