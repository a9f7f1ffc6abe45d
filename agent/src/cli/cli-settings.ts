import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { z } from 'zod';

import { usageError } from './cli-errors';

/** The variables the CLI reads, parsed once in main.ts. */
export const CliEnvironment = z.object({
  OPTRALIS_SERVER: z.string().optional(),
  OPTRALIS_TOKEN: z.string().optional(),
  XDG_CONFIG_HOME: z.string().optional(),
});
export type CliEnvironment = z.infer<typeof CliEnvironment>;

const CliFile = z.looseObject({
  server: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
});

const ServerUrl = z.url({ protocol: /^https?$/ });

export interface ConnectionFlags {
  server?: string;
  token?: string;
}

export interface Connection {
  server: URL;
  token: string;
}

export function configFilePath(environment: CliEnvironment): string {
  return join(environment.XDG_CONFIG_HOME || join(homedir(), '.config'), 'optralis', 'cli.json');
}

function readConfigFile(path: string): z.infer<typeof CliFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw usageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError(`${path} is not valid JSON`);
  }
  const parsed = CliFile.safeParse(json);
  if (!parsed.success) throw usageError(`${path}: expected { "server": "https://…", "token": "…" }`);
  return parsed.data;
}

/** Flags first, then OPTRALIS_SERVER / OPTRALIS_TOKEN, then the config file. */
export function resolveConnection(input: {
  flags: ConnectionFlags;
  environment: CliEnvironment;
  configFile?: string;
}): Connection {
  const path = input.configFile ?? configFilePath(input.environment);
  const needsFile =
    !(input.flags.server ?? input.environment.OPTRALIS_SERVER) ||
    !(input.flags.token ?? input.environment.OPTRALIS_TOKEN);
  const file = needsFile ? readConfigFile(path) : {};
  const server = input.flags.server || input.environment.OPTRALIS_SERVER || file.server;
  const token = input.flags.token || input.environment.OPTRALIS_TOKEN || file.token;
  if (!server) {
    throw usageError(`no server: pass --server URL, set OPTRALIS_SERVER or put "server" in ${path}`);
  }
  if (!ServerUrl.safeParse(server).success) {
    throw usageError(`the server must be an http(s) URL such as https://optralis.example.com`);
  }
  if (!token) {
    throw usageError(`no API token: set OPTRALIS_TOKEN, put "token" in ${path} or pass --token`);
  }
  return { server: new URL(server), token: token.trim() };
}
