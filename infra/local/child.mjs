import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';

/**
 * Runs one setup step in the foreground and resolves with its exit code (1 when it could not start or
 * died of a signal). `track` sees the child while it runs, so the caller can pass signals on.
 */
export function runChild(command, args, { cwd, track = () => {} }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    track(child);
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      track(undefined);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** What `npm start` and `npm test` both do first: install if needed, infrastructure up, build. */
export async function prepareWorkspace(root, step) {
  if (!fs.existsSync(path.join(root, 'node_modules')))
    await step('node_modules is missing: npm ci', 'npm', ['ci']);
  await step('infrastructure: node infra/local/infra.mjs up', process.execPath, [
    'infra/local/infra.mjs',
    'up',
  ]);
  await step('build: npx nx run-many -t build', 'npx', [
    'nx',
    'run-many',
    '-t',
    'build',
    '--outputStyle=static',
  ]);
}
