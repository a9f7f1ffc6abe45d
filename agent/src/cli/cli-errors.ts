export const ExitCode = {
  Ok: 0,
  Generic: 1,
  Usage: 2,
  Auth: 3,
  NotFound: 4,
  Unavailable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI explains in one line and turns into its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.Usage);
}

/** The exit code of an HTTP error status: 401/403 → 3, 404 → 4, 5xx → 5, anything else → 1. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.Auth;
  if (status === 404) return ExitCode.NotFound;
  if (status >= 500) return ExitCode.Unavailable;
  return ExitCode.Generic;
}
