import { readFile } from 'node:fs/promises';

import { Command } from 'commander';

import { DEFAULT_CONFIG_PATH, parseAgentConfig, splitList } from './agent-config';
import { writeConfigFile } from './config-file';

export const AGENT_USER = 'optralis-agent';

export type TokenCheck = { accepted: true; status: number } | { accepted: false; reason: string };

export class EnrollmentError extends Error {
  override name = 'EnrollmentError';
}

/**
 * Proves the token without storing anything: the ingest authenticates before it reads the body, so a deliberately
 * invalid report answers 400 to a good token and 401 to a bad one. A real report would register the host and use up
 * a sequence number the agent's first report needs.
 */
export async function checkIngestToken(input: {
  server: string;
  token: string;
  timeoutMs?: number;
}): Promise<TokenCheck> {
  const url = `${input.server}/v1/agent/reports`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ probe: 'optralis-agent enroll' }),
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    return { accepted: false, reason: `cannot reach ${url}: ${cause}` };
  }
  const detail = await problemDetail(response);
  switch (response.status) {
    case 400:
    case 429:
      return { accepted: true, status: response.status };
    case 401:
    case 403:
      return { accepted: false, reason: `the server refused the token (${response.status}${detail})` };
    case 404:
    case 405:
      return {
        accepted: false,
        reason: `no Optralis ingest answers at ${url} (${response.status}): give the ingest URL (port 8081 by default)`,
      };
    case 503:
      return {
        accepted: false,
        reason: `the server cannot check tokens right now (503${detail}); retry, or enroll with --no-verify`,
      };
    default:
      return { accepted: false, reason: `unexpected answer ${response.status} from ${url}${detail}` };
  }
}

/** Merges server, token, name and tags into the existing file (other settings stay) and writes it 0600. */
export async function enroll(input: {
  server: string;
  token: string;
  name?: string;
  tags?: string[];
  configPath: string;
  verify: boolean;
  owner?: { uid: number; gid: number };
}): Promise<{ verified: boolean }> {
  const existing = await existingConfig(input.configPath);
  const host = { ...((existing.host as Record<string, unknown> | undefined) ?? {}) };
  if (input.name !== undefined) host.name = input.name;
  if (input.tags !== undefined) host.tags = input.tags;
  const file = { ...existing, server: input.server, token: input.token, host };
  const config = parseAgentConfig({ file, environment: {}, source: 'enroll options' });
  if (input.verify) {
    const check = await checkIngestToken({ server: config.server!, token: config.token! });
    if (!check.accepted) throw new EnrollmentError(check.reason);
  }
  await writeConfigFile(
    input.configPath,
    { ...file, server: config.server, token: config.token },
    input.owner,
  );
  return { verified: input.verify };
}

export function enrollCommand(output: { write(text: string): void }): Command {
  return new Command('enroll')
    .description('check an ingest token against the server and store it in the config file (mode 0600)')
    .requiredOption('--server <url>', 'ingest base URL, e.g. https://ingest.example.com')
    .requiredOption('--token <token>', 'ingest token (opt_ing_…)')
    .option('--name <name>', 'host name shown in Optralis (default: the system host name at every start)')
    .option('--tags <list>', 'comma-separated host tags', splitList)
    .option('--config <path>', 'config file to write', DEFAULT_CONFIG_PATH)
    .option(
      '--owner <user>',
      `user the file belongs to (default: ${AGENT_USER} when it exists and we are root)`,
    )
    .option('--no-verify', 'store the token without asking the server (offline provisioning)')
    .action(async (options: EnrollOptions) => {
      const owner = await fileOwner(options.owner);
      const result = await enroll({
        server: options.server,
        token: options.token,
        name: options.name,
        tags: options.tags,
        configPath: options.config,
        verify: options.verify,
        owner: owner?.ids,
      });
      output.write(
        `${result.verified ? 'Token accepted by the server. ' : 'Token NOT checked (--no-verify). '}` +
          `Wrote ${options.config} (mode 0600${owner === undefined ? '' : `, owner ${owner.name}`}).\n` +
          'Start the agent: systemctl enable --now optralis-agent\n',
      );
    });
}

interface EnrollOptions {
  server: string;
  token: string;
  name?: string;
  tags?: string[];
  config: string;
  owner?: string;
  verify: boolean;
}

/** The agent's service user must read the file it runs with; root writes it during enrollment. */
async function fileOwner(
  requested: string | undefined,
): Promise<{ name: string; ids: { uid: number; gid: number } } | undefined> {
  const name = requested ?? (process.getuid?.() === 0 ? AGENT_USER : undefined);
  if (name === undefined) return undefined;
  const ids = await systemUser(name);
  if (ids === undefined && requested !== undefined)
    throw new EnrollmentError(`no user "${name}" in /etc/passwd`);
  return ids === undefined ? undefined : { name, ids };
}

export async function systemUser(
  name: string,
  passwd = '/etc/passwd',
): Promise<{ uid: number; gid: number } | undefined> {
  const text = await readFile(passwd, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 4) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  return undefined;
}

async function existingConfig(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new EnrollmentError(`${path} exists but is not a JSON object; move it away or fix it first`);
}

async function problemDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    return typeof body.detail === 'string' ? `: ${body.detail}` : '';
  } catch {
    return '';
  }
}
