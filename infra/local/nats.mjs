// NATS with JetStream for infra.mjs: use a running server, or install and start nats-server.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  InfraError,
  LOCAL_HOSTS,
  ROOT,
  STATE_DIR,
  findExecutable,
  isAlive,
  readPid,
  stopOwn,
  tail,
} from './processes.mjs';

export const NATS_PID = path.join(STATE_DIR, 'nats.pid');
const NATS_LOG = path.join(STATE_DIR, 'nats.log');

// A NATS server greets every client with one `INFO {json}` line.
export function probeNats({ host, port }, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let greeting = '';
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ up: false, reason: greeting ? 'not NATS' : 'no answer' }));
    socket.once('error', (error) => done({ up: false, reason: error.code || error.message }));
    socket.on('data', (chunk) => {
      greeting += chunk.toString('utf8');
      const end = greeting.indexOf('\n');
      if (end < 0 && greeting.length < 64 * 1024) return;
      const line = (end < 0 ? greeting : greeting.slice(0, end)).trim();
      if (!line.startsWith('INFO')) return done({ up: false, reason: 'not NATS' });
      let info = {};
      try {
        info = JSON.parse(line.slice(4).trim());
      } catch {
        // An unparsable INFO still means a NATS server answered.
      }
      done({ up: true, version: info.version, jetstream: info.jetstream === true });
    });
  });
}

function canUseApt() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return (
    process.platform === 'linux' &&
    fs.existsSync('/etc/debian_version') &&
    isRoot &&
    !!findExecutable('apt-get')
  );
}

function installNatsServer() {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  console.log('NATS: nats-server not found; installing it with apt-get install -y nats-server');
  if (apt(['install', '-y', 'nats-server'])) return;
  console.log('NATS: install failed; running apt-get update and trying again');
  if (apt(['update']) && apt(['install', '-y', 'nats-server'])) return;
  throw new InfraError('NATS: apt-get install -y nats-server failed (see the output above)');
}

function natsInstallHelp() {
  return [
    'NATS: nats-server is not installed, and infra.mjs can only install it as root on Debian/Ubuntu.',
    'Install it with one of:',
    '  sudo apt-get install -y nats-server     # Debian, Ubuntu',
    '  brew install nats-server                # macOS (Homebrew)',
    '  download an archive from https://github.com/nats-io/nats-server/releases,',
    '  unpack it and put the nats-server binary on your PATH',
    'then run this command again.',
  ].join('\n');
}

export async function natsUp(target) {
  const ownPid = readPid(NATS_PID);
  const probe = await probeNats(target);
  if (probe.up) {
    if (!probe.jetstream) {
      throw new InfraError(
        `NATS: ${target.url} answers but JetStream is off; the services need it (run nats-server with -js)`,
      );
    }
    const how = isAlive(ownPid, 'nats-server') ? `started by infra.mjs, pid ${ownPid}` : 'already running';
    console.log(`NATS: using ${target.url} (${how})`);
    return;
  }
  if (probe.reason === 'not NATS') {
    throw new InfraError(`NATS: ${target.host}:${target.port} is taken by something that is not NATS`);
  }
  if (!LOCAL_HOSTS.has(target.host)) {
    throw new InfraError(
      `NATS: ${target.url} does not answer (${probe.reason}), and it is not on this machine`,
    );
  }
  if (isAlive(ownPid, 'nats-server')) {
    throw new InfraError(
      `NATS: the nats-server infra.mjs started (pid ${ownPid}) does not answer on port ${target.port}; ` +
        'run `node infra/local/infra.mjs down` first',
    );
  }

  let binary = findExecutable('nats-server');
  if (!binary && canUseApt()) {
    installNatsServer();
    binary = findExecutable('nats-server');
    const again = await probeNats(target);
    if (again.up && again.jetstream) {
      console.log(`NATS: using ${target.url} (started by the nats-server package)`);
      return;
    }
  }
  if (!binary) throw new InfraError(natsInstallHelp());

  fs.mkdirSync(STATE_DIR, { recursive: true });
  const args = ['-js', '-a', '127.0.0.1', '-p', String(target.port), '-sd', '.optralis/nats', '-l', NATS_LOG];
  const child = spawn(binary, args, { cwd: ROOT, detached: true, stdio: 'ignore' });
  child.unref();
  fs.writeFileSync(NATS_PID, `${child.pid}\n`);
  console.log(`NATS: starting ${binary} ${args.join(' ')} (pid ${child.pid}, log .optralis/nats.log)`);

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await probeNats(target)).up) {
      console.log(`NATS: using ${target.url} (started by infra.mjs, pid ${child.pid})`);
      return;
    }
    if (!isAlive(child.pid)) break;
    await sleep(250);
  }
  const alive = isAlive(child.pid);
  if (!alive) fs.rmSync(NATS_PID, { force: true });
  throw new InfraError(
    `NATS: nats-server ${alive ? 'did not answer within 15 s' : 'exited'}; last lines of .optralis/nats.log:\n` +
      tail(NATS_LOG),
  );
}

export async function natsDown() {
  await stopOwn({
    label: 'NATS',
    pidFile: NATS_PID,
    expected: 'nats-server',
    signal: 'SIGTERM',
    timeoutMs: 10_000,
  });
}
