import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface PluginFile {
  name: string;
  path: string;
}

export interface SkippedPlugin extends PluginFile {
  reason: string;
  /** Data files and package-manager leftovers that sit in the directory on purpose: not worth a warning. */
  expected: boolean;
}

export interface PluginDiscovery {
  plugins: PluginFile[];
  skipped: SkippedPlugin[];
  /** Set when the directory itself is unsafe: then nothing in it runs. */
  directoryProblem?: string;
}

// run-parts' rule, plus dots: editors' and package managers' leftovers never run.
const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const LEFTOVER = /(~|\.(bak|old|orig|swp|tmp|disabled|dpkg-[a-z]+|rpmnew|rpmsave|ucf-[a-z]+))$/;

/**
 * What may run from the plugins directory, checked the way OpenSSH's StrictModes checks keys: the directory and each
 * file (after symlinks) belong to root or the agent's user and no one else can write them; files need an execute bit.
 * Anyone who could change a plugin would run code as the agent, which may hold CAP_SYS_PTRACE.
 */
export async function discoverPlugins(directory: string, uid: number): Promise<PluginDiscovery> {
  let names: string[];
  try {
    const info = await stat(directory);
    if (!info.isDirectory())
      return { plugins: [], skipped: [], directoryProblem: `${directory} is not a directory` };
    const unsafe = ownershipProblem(info.uid, info.mode, uid);
    if (unsafe !== undefined) return { plugins: [], skipped: [], directoryProblem: `${directory} ${unsafe}` };
    names = (await readdir(directory)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { plugins: [], skipped: [] };
    return {
      plugins: [],
      skipped: [],
      directoryProblem: `${directory} cannot be read: ${(error as Error).message}`,
    };
  }
  const plugins: PluginFile[] = [];
  const skipped: SkippedPlugin[] = [];
  for (const name of names) {
    const path = join(directory, name);
    const problem = await fileProblem(name, path, uid);
    if (problem === undefined) plugins.push({ name, path });
    else skipped.push({ name, path, ...problem });
  }
  return { plugins, skipped };
}

async function fileProblem(
  name: string,
  path: string,
  uid: number,
): Promise<{ reason: string; expected: boolean } | undefined> {
  if (name.startsWith('.') || LEFTOVER.test(name)) return { reason: 'hidden or backup file', expected: true };
  if (!PLUGIN_NAME.test(name))
    return { reason: 'name must be letters, digits, "_", "-" and "." (at most 100)', expected: false };
  let target: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    target = await realpath(path);
    info = await stat(target);
  } catch (error) {
    return {
      reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      expected: false,
    };
  }
  if (info.isDirectory()) return { reason: 'a directory', expected: true };
  if (!info.isFile()) return { reason: 'not a regular file', expected: false };
  if ((info.mode & 0o111) === 0) return { reason: 'not executable', expected: true };
  const unsafe = ownershipProblem(info.uid, info.mode, uid);
  if (unsafe !== undefined)
    return { reason: target === path ? unsafe : `${target} ${unsafe}`, expected: false };
  return undefined;
}

function ownershipProblem(owner: number, mode: number, uid: number): string | undefined {
  if (owner !== 0 && owner !== uid) return `is owned by uid ${owner}, not by root or the agent (uid ${uid})`;
  if ((mode & 0o002) !== 0) return 'is world-writable';
  if ((mode & 0o020) !== 0) return 'is group-writable';
  return undefined;
}
