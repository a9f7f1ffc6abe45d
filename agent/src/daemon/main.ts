#!/usr/bin/env node
import { runAgentProgram } from './agent.program';
import { JsonLinesLogger } from './json-lines.logger';

const crashLogger = new JsonLinesLogger(process.stdout);
process.on('uncaughtException', (error) => {
  crashLogger.error('uncaught error, exiting', { error });
  process.exit(1);
});

void runAgentProgram(process.argv.slice(2), {
  // eslint-disable-next-line no-restricted-properties -- the one place the agent reads its environment
  environment: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  uid: process.getuid?.() ?? 0,
  setExitCode: (code) => (process.exitCode = code),
  exit: (code) => process.exit(code),
  waitForStopSignal: () =>
    new Promise((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        // A second signal means "now": the spool is crash-safe, nothing is lost but the report in flight.
        process.once(signal, () => process.exit(130));
        resolve(signal);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    }),
}).then((code) => {
  if (code !== 0) process.exitCode = code;
});
