// Child processes of the benchmark (auth, ingest, the Prometheus peer): started with their own
// environment, their output kept (last lines) for error messages, stopped with SIGTERM then SIGKILL.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const KEPT_LINES = 200;
const KILL_AFTER_MS = 10_000;

export function startProcess({ name, command, args = [], env = {}, cwd }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const keep = (chunk) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      exitInfo = { code: null, signal: null, error };
      resolve(exitInfo);
    });
    // 'close' comes after the output pipes are drained, so the last lines of a crash are kept.
    child.once('close', (code, signal) => {
      exitInfo ??= { code, signal };
      resolve(exitInfo);
    });
  });

  return {
    name,
    child,
    pid: child.pid,
    exited,
    /** Set once the process has ended: its exit code or signal. */
    get exit() {
      return exitInfo;
    },
    output(count = 30) {
      return lines.slice(-count).join('\n');
    },
    async stop() {
      if (exitInfo) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error(`${name}: did not stop within ${KILL_AFTER_MS / 1000} s of SIGTERM; sending SIGKILL`);
        child.kill('SIGKILL');
      }, KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function describeExit(service) {
  const { code, signal, error } = service.exit ?? {};
  if (error) return `${service.name} could not start: ${error.message}`;
  return `${service.name} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
}

/** Resolves when `url` answers 200; throws with the process's last output when it exits or the time is up. */
export async function waitUntilReady(service, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (service.exit) {
      throw new Error(`${describeExit(service)} before it was ready; last output:\n${service.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const text = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${text.slice(0, 300)}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await sleep(250);
  }
  throw new Error(
    `${service.name} was not ready within ${timeoutMs / 1000} s (${url}: ${last}); last output:\n${service.output()}`,
  );
}
