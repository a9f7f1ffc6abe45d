import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem.variable}: ${problem.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

/** Parses the environment once with the service's zod schema; the error names every bad variable. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  environment: Environment = process.env,
): z.output<S> {
  const result = schema.safeParse(environment);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
      message: issue.message,
    })),
  );
}

/** For main.ts: print the problems and exit non-zero rather than start half-configured. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  environment: Environment = process.env,
): z.output<S> {
  try {
    return loadConfig(schema, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
