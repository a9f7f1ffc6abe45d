import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { PluginFile } from '../plugin-discovery';

/** A private temp directory (0755, owned by the test's user) to put plugin files in. */
export async function pluginDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'optralis-plugins-'));
  await chmod(path, 0o755);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function writePlugin(
  directory: string,
  name: string,
  script: string,
  mode = 0o755,
): Promise<PluginFile> {
  const path = join(directory, name);
  await writeFile(path, script);
  await chmod(path, mode);
  return { name, path };
}

export const shellPlugin = (body: string) => `#!/bin/sh\n${body}\n`;

/** Only root can give a file away; the ownership tests run when the suite runs as root (as in CI here). */
export const runsAsRoot = process.getuid?.() === 0;

export async function giveToNobody(path: string): Promise<void> {
  await chown(path, 65534, 65534);
}
