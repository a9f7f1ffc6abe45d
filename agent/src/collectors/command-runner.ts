import { execFile } from 'node:child_process';

import type { CommandResult, CommandRunner } from './collector';

// A fixed environment: output in the C locale parses the same everywhere, and the agent never runs a
// command from a PATH someone else set.
const COMMAND_ENV = { LC_ALL: 'C', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Runs a command without a shell; undefined when it does not exist, cannot start, times out or floods its output. */
export const commandRunner: CommandRunner = (command, args, timeoutMs) =>
  new Promise<CommandResult | undefined>((resolve) => {
    try {
      execFile(
        command,
        args,
        {
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT_BYTES,
          env: COMMAND_ENV,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          // A number is the exit status of a command that ran; anything else means it did not run to an end.
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          resolve(undefined);
        },
      );
    } catch {
      resolve(undefined);
    }
  });

/** Runs through a collector's runner; a runner that throws counts as a command that did not run. */
export async function runQuietly(
  run: CommandRunner,
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<CommandResult | undefined> {
  try {
    return await run(command, args, timeoutMs);
  } catch {
    return undefined;
  }
}
