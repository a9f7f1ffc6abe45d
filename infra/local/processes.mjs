// Shared by nats.mjs and postgres.mjs: the state folder, pid files, process liveness and ports.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STATE_DIR = path.join(ROOT, '.optralis');
export const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

// Expected failures: infra.mjs prints only the message, without a stack.
export class InfraError extends Error {}

export function tcpOpen(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function readPid(file) {
  const pid = Number.parseInt(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

// Alive and, where /proc tells, still the program we started (pids get reused).
export function isAlive(pid, expected) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!expected || !fs.existsSync(cmdline)) return true;
  return fs.readFileSync(cmdline, 'utf8').includes(expected);
}

export async function waitForExit(pid, expected, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid, expected)) return true;
    await sleep(200);
  }
  return !isAlive(pid, expected);
}

export function tail(file, lines = 15) {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export function findExecutable(name) {
  const dirs = [
    ...(process.env.PATH || '').split(path.delimiter),
    '/usr/sbin',
    '/usr/local/bin',
    '/opt/homebrew/bin',
  ];
  for (const dir of dirs.filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function stopOwn({ label, pidFile, expected, signal, timeoutMs }) {
  const pid = readPid(pidFile);
  if (!isAlive(pid, expected)) {
    fs.rmSync(pidFile, { force: true });
    console.log(`${label}: nothing to stop (infra.mjs did not start one that is still running)`);
    return;
  }
  process.kill(pid, signal);
  if (!(await waitForExit(pid, expected, timeoutMs))) {
    console.log(`${label}: pid ${pid} did not stop within ${timeoutMs / 1000} s; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, expected, 5000);
  }
  fs.rmSync(pidFile, { force: true });
  console.log(`${label}: stopped (pid ${pid})`);
}
