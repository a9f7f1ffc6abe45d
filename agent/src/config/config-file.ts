import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

import { type AgentConfig, AgentConfigError, type Environment, parseAgentConfig } from './agent-config';

export interface LoadedAgentConfig {
  config: AgentConfig;
  path: string;
  /** Whether the file existed; without it the config comes from defaults and the environment. */
  found: boolean;
  warnings: string[];
}

/**
 * Reads and checks the config file, then applies the environment. A missing file is fine unless the path was given
 * explicitly (a typo there should not silently run an unconfigured agent).
 */
export async function loadAgentConfig(input: {
  path: string;
  environment: Environment;
  explicit: boolean;
  uid?: number;
}): Promise<LoadedAgentConfig> {
  const file = await readConfigFile(input.path, input.uid ?? process.getuid?.() ?? 0);
  if (!file.found && input.explicit) {
    throw new AgentConfigError(input.path, [{ field: '(file)', message: 'does not exist' }]);
  }
  const warnings = file.found
    ? file.warnings
    : [`no config file at ${input.path}: defaults and environment only`];
  return {
    config: parseAgentConfig({ file: file.data, environment: input.environment, source: input.path }),
    path: input.path,
    found: file.found,
    warnings,
  };
}

/** The raw JSON of the file; `{}` when it does not exist. Unsafe permissions are refused before the JSON is read. */
export async function readConfigFile(
  path: string,
  uid: number,
): Promise<{ found: boolean; data: unknown; warnings: string[] }> {
  let text: string;
  let mode: number;
  let owner: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile())
      throw new AgentConfigError(path, [{ field: '(file)', message: 'is not a regular file' }]);
    mode = stats.mode;
    owner = stats.uid;
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { found: false, data: {}, warnings: [] };
    if (error instanceof AgentConfigError) throw error;
    throw new AgentConfigError(path, [
      { field: '(file)', message: `cannot be read: ${(error as Error).message}` },
    ]);
  }
  const data = parseJson(text, path);
  const holdsToken = typeof data === 'object' && data !== null && 'token' in data;
  return { found: true, data, warnings: permissionProblems({ path, mode, owner, uid, holdsToken }) };
}

/**
 * Refuses a file others could change (they could point the agent at their server, or at their plugins) or, when it
 * holds the token, read; a group-readable token is only a warning so root:optralis-agent 0640 stays possible.
 */
export function permissionProblems(input: {
  path: string;
  mode: number;
  owner: number;
  uid: number;
  holdsToken: boolean;
}): string[] {
  const permissions = (input.mode & 0o777).toString(8).padStart(3, '0');
  const refuse = (message: string): never => {
    throw new AgentConfigError(input.path, [{ field: '(file)', message }]);
  };
  if (input.owner !== 0 && input.owner !== input.uid)
    refuse(
      `is owned by uid ${input.owner}; it must belong to root or to the agent's user (uid ${input.uid})`,
    );
  if ((input.mode & 0o022) !== 0)
    refuse(`is writable by group or others (mode ${permissions}): run chmod 600 ${input.path}`);
  if (input.holdsToken && (input.mode & 0o004) !== 0)
    refuse(
      `holds the ingest token and is readable by every user (mode ${permissions}): run chmod 600 ${input.path}`,
    );
  if (input.holdsToken && (input.mode & 0o040) !== 0)
    return [
      `${input.path} holds the ingest token and is readable by its group (mode ${permissions}); 600 is safer`,
    ];
  return [];
}

/** temp file (0600, created exclusively) → fsync → rename → fsync of the directory: a crash leaves the old or new file. */
export async function writeConfigFile(
  path: string,
  config: Record<string, unknown>,
  owner?: { uid: number; gid: number },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`, 'utf8');
    await handle.chmod(0o600);
    if (owner !== undefined) await handle.chown(owner.uid, owner.gid);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AgentConfigError(path, [
      { field: '(file)', message: `is not valid JSON: ${(error as Error).message}` },
    ]);
  }
}
