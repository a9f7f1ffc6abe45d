import { isAbsolute } from 'node:path';

import { HostIdSchema, INGEST_TOKEN_PATTERN, Tags } from '@optralis/contracts/agent';
import { z } from 'zod';

export const DEFAULT_CONFIG_PATH = '/etc/optralis-agent/agent.json';
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MIB = 1024 * 1024;
const DAY_SECONDS = 86_400;

const AbsolutePath = z.string().min(1).refine(isAbsolute, 'must be an absolute path');

/** The ingest base URL; reports go to `<server>/v1/agent/reports`. */
export const ServerUrl = z
  .string()
  .trim()
  .superRefine((value, context) => {
    const problem = serverUrlProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value.replace(/\/+$/, ''));

export const IngestToken = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => !value.startsWith('opt_api_'), {
    message: 'is an API token; the agent needs an ingest token (opt_ing_…)',
    abort: true,
  })
  .refine(
    (value) => INGEST_TOKEN_PATTERN.test(value),
    'must be an ingest token: opt_ing_<8 characters>_<48 hex>',
  );

const HostSettings = z.strictObject({
  /** Defaults to the hardware id (machine id, DMI uuid, first MAC) at every start. */
  id: HostIdSchema.optional(),
  /** Defaults to os.hostname() at every start. */
  name: z.string().trim().min(1).max(255).optional(),
  tags: Tags.default([]),
});

/** Every setting of /etc/optralis-agent/agent.json; unknown keys are refused so a typo is not silently ignored. */
export const AgentConfigSchema = z.strictObject({
  server: ServerUrl.optional(),
  token: IngestToken.optional(),
  host: HostSettings.default({ tags: [] }),
  intervalSeconds: z.number().int().min(1).max(3600).default(10),
  stateDirectory: AbsolutePath.default('/var/lib/optralis-agent'),
  spool: z
    .strictObject({
      maxBytes: z
        .number()
        .int()
        .min(MIB)
        .max(1024 * 1024 * MIB)
        .default(500 * MIB),
      maxAgeSeconds: z
        .number()
        .int()
        .min(60)
        .max(365 * DAY_SECONDS)
        .default(7 * DAY_SECONDS),
    })
    .default({ maxBytes: 500 * MIB, maxAgeSeconds: 7 * DAY_SECONDS }),
  pluginsDirectory: AbsolutePath.default('/etc/optralis-agent/plugins.d'),
  pluginTimeoutSeconds: z.number().positive().max(300).default(5),
  pluginConcurrency: z.number().int().min(1).max(64).default(4),
  collectors: z
    .strictObject({ disabled: z.array(z.string().min(1).max(64)).max(64).default([]) })
    .default({ disabled: [] }),
  logLevel: z.enum(LOG_LEVELS).default('info'),
});
export type AgentConfig = z.output<typeof AgentConfigSchema>;
export type EnrolledAgentConfig = AgentConfig & { server: string; token: string };

/** Variable → dotted field; the value is parsed by the field's own schema after the file is merged. */
export const ENVIRONMENT_OVERRIDES = {
  OPTRALIS_AGENT_SERVER: 'server',
  OPTRALIS_AGENT_TOKEN: 'token',
  OPTRALIS_AGENT_HOST_ID: 'host.id',
  OPTRALIS_AGENT_HOST_NAME: 'host.name',
  OPTRALIS_AGENT_TAGS: 'host.tags',
  OPTRALIS_AGENT_INTERVAL_SECONDS: 'intervalSeconds',
  OPTRALIS_AGENT_STATE_DIRECTORY: 'stateDirectory',
  OPTRALIS_AGENT_SPOOL_MAX_BYTES: 'spool.maxBytes',
  OPTRALIS_AGENT_SPOOL_MAX_AGE_SECONDS: 'spool.maxAgeSeconds',
  OPTRALIS_AGENT_PLUGINS_DIRECTORY: 'pluginsDirectory',
  OPTRALIS_AGENT_PLUGIN_TIMEOUT_SECONDS: 'pluginTimeoutSeconds',
  OPTRALIS_AGENT_PLUGIN_CONCURRENCY: 'pluginConcurrency',
  OPTRALIS_AGENT_DISABLED_COLLECTORS: 'collectors.disabled',
  OPTRALIS_AGENT_LOG_LEVEL: 'logLevel',
} as const;
type OverriddenField = (typeof ENVIRONMENT_OVERRIDES)[keyof typeof ENVIRONMENT_OVERRIDES];

const LIST_FIELDS = new Set<OverriddenField>(['host.tags', 'collectors.disabled']);
const NUMBER_FIELDS = new Set<OverriddenField>([
  'intervalSeconds',
  'spool.maxBytes',
  'spool.maxAgeSeconds',
  'pluginTimeoutSeconds',
  'pluginConcurrency',
]);

export interface ConfigProblem {
  field: string;
  message: string;
}

export class AgentConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid agent configuration (${source}):\n${problems.map((problem) => `  - ${problem.field}: ${problem.message}`).join('\n')}`,
    );
    this.name = 'AgentConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

/** Parses the file's JSON with the environment's overrides on top; every problem names its field (and variable). */
export function parseAgentConfig(input: {
  file: unknown;
  environment: Environment;
  source: string;
}): AgentConfig {
  if (input.file === null || typeof input.file !== 'object' || Array.isArray(input.file)) {
    throw new AgentConfigError(input.source, [{ field: '(file)', message: 'must be a JSON object' }]);
  }
  const merged = structuredClone(input.file) as Record<string, unknown>;
  const variableOf = new Map<string, string>();
  for (const [variable, field] of Object.entries(ENVIRONMENT_OVERRIDES)) {
    const raw = input.environment[variable];
    if (raw === undefined || raw.trim() === '') continue;
    setPath(merged, field, environmentValue(field, raw));
    variableOf.set(field, variable);
  }
  const result = AgentConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  throw new AgentConfigError(
    input.source,
    result.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(file)';
      const variable = [...variableOf].find(([path]) => field === path || field.startsWith(`${path}.`))?.[1];
      return {
        field: variable === undefined ? field : `${field} (from ${variable})`,
        message: issue.message,
      };
    }),
  );
}

/** `run` needs somewhere to send reports; the other commands work without. */
export function requireEnrolled(config: AgentConfig, source: string): EnrolledAgentConfig {
  const problems: ConfigProblem[] = [];
  if (config.server === undefined)
    problems.push({
      field: 'server',
      message: 'is required (run `optralis-agent enroll` or set OPTRALIS_AGENT_SERVER)',
    });
  if (config.token === undefined)
    problems.push({
      field: 'token',
      message: 'is required (run `optralis-agent enroll` or set OPTRALIS_AGENT_TOKEN)',
    });
  if (problems.length > 0) throw new AgentConfigError(source, problems);
  return config as EnrolledAgentConfig;
}

export function serverUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as https://ingest.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with http:// or https://';
  if (url.username !== '' || url.password !== '')
    return 'must not contain credentials (the token is sent as a header)';
  if (url.search !== '' || url.hash !== '') return 'must not contain a query or fragment';
  return undefined;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function environmentValue(field: OverriddenField, raw: string): unknown {
  if (LIST_FIELDS.has(field)) return splitList(raw);
  if (NUMBER_FIELDS.has(field)) return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
}
