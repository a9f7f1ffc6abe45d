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
