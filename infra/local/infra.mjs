// Local infrastructure for Optralis: NATS with JetStream and PostgreSQL.
// node infra/local/infra.mjs up|down|status — see infra/local/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATE_DIR = path.join(ROOT, '.optralis');
const NATS_PID = path.join(STATE_DIR, 'nats.pid');
const NATS_LOG = path.join(STATE_DIR, 'nats.log');
const PG_PID = path.join(STATE_DIR, 'postgres.pid');
const PG_LOG = path.join(STATE_DIR, 'postgres.log');
const PG_DATA = path.join(STATE_DIR, 'postgres');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

class InfraError extends Error {}

function natsTarget() {
  const raw = (process.env.NATS_URL || 'nats://127.0.0.1:4222').split(',')[0].trim();
  const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
  return { url: raw, host: url.hostname, port: Number(url.port || 4222) };
}

function databaseTarget() {
  const raw = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/optralis';
  const url = new URL(raw);
  const adminUrl = new URL(raw);
  adminUrl.pathname = '/postgres';
  return {
    url: raw,
    shown: raw.replace(/:[^:@/]*@/, ':***@'),
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    adminUrl: adminUrl.toString(),
  };
}

function tcpOpen(host, port, timeoutMs = 1500) {
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

// A NATS server greets every client with one `INFO {json}` line.
function probeNats({ host, port }, timeoutMs = 1500) {
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

async function probePostgres(db) {
  if (!(await tcpOpen(db.host, db.port)))
    return { listening: false, up: false, reason: 'connection refused' };
  const client = new pg.Client({ connectionString: db.adminUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS ok, current_setting($1) AS version', ['server_version']);
    return { listening: true, up: rows[0].ok === 1, version: rows[0].version };
  } catch (error) {
    return { listening: true, up: false, reason: error.message };
  } finally {
    await client.end().catch(() => {});
  }
}

function readPid(file) {
  const pid = Number.parseInt(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

// Alive and, where /proc tells, still the program we started (pids get reused).
function isAlive(pid, expected) {
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

async function waitForExit(pid, expected, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid, expected)) return true;
    await sleep(200);
  }
  return !isAlive(pid, expected);
}

function tail(file, lines = 15) {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function findExecutable(name) {
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

async function natsUp() {
  const target = natsTarget();
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

async function postgresUp() {
  const db = databaseTarget();
  const ownPid = readPid(PG_PID);
  const probe = await probePostgres(db);
  if (probe.up) {
    const orphan = isAlive(readPid(path.join(PG_DATA, 'postmaster.pid')), PG_DATA);
    const how = isAlive(ownPid, 'embedded-postgres')
      ? `embedded, pid ${ownPid}`
      : orphan
        ? 'embedded, its supervisor is gone; `down` stops it'
        : 'already running';
    console.log(`Postgres: using ${db.host}:${db.port} (${how}, PostgreSQL ${probe.version})`);
  } else if (probe.listening) {
    throw new InfraError(
      `Postgres: ${db.host}:${db.port} accepts connections but ${db.shown} fails: ${probe.reason}`,
    );
  } else if (!LOCAL_HOSTS.has(db.host)) {
    throw new InfraError(`Postgres: ${db.host}:${db.port} does not answer, and it is not on this machine`);
  } else if (isAlive(ownPid, 'embedded-postgres')) {
    throw new InfraError(
      `Postgres: the embedded Postgres infra.mjs started (pid ${ownPid}) does not answer on port ${db.port}; ` +
        'run `node infra/local/infra.mjs down` first',
    );
  } else {
    await startEmbeddedPostgres(db);
  }
  await ensureDatabase(db);
}

async function startEmbeddedPostgres(db) {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const settings = {
    dataDir: PG_DATA,
    port: db.port,
    host: db.host === 'localhost' ? 'localhost' : db.host.replace(/^\[|\]$/g, ''),
    user: db.user,
    password: db.password,
    pidFile: PG_PID,
  };
  const supervisor = path.join(ROOT, 'infra', 'local', 'embedded-postgres.mjs');
  const log = fs.openSync(PG_LOG, 'a');
  const child = spawn(process.execPath, [supervisor, JSON.stringify(settings)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  child.unref();
  fs.writeFileSync(PG_PID, `${child.pid}\n`);
  console.log(
    `Postgres: nothing on ${db.host}:${db.port}; starting embedded PostgreSQL ` +
      `(data .optralis/postgres, log .optralis/postgres.log, pid ${child.pid})`,
  );

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const probe = await probePostgres(db);
    if (probe.up) {
      console.log(
        `Postgres: using ${db.host}:${db.port} (embedded PostgreSQL ${probe.version}, pid ${child.pid})`,
      );
      return;
    }
    if (!isAlive(child.pid)) break;
    await sleep(500);
  }
  const alive = isAlive(child.pid);
  if (!alive) fs.rmSync(PG_PID, { force: true });
  throw new InfraError(
    `Postgres: embedded PostgreSQL ${alive ? 'did not answer within 90 s' : 'failed to start'}; ` +
      `last lines of .optralis/postgres.log:\n${tail(PG_LOG)}`,
  );
}

async function ensureDatabase(db) {
  const client = new pg.Client({ connectionString: db.adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    if (rowCount > 0) {
      console.log(`Postgres: database "${db.database}" exists`);
      return;
    }
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(db.database)}`);
      console.log(`Postgres: created database "${db.database}"`);
    } catch (error) {
      if (error.code !== '42P04') throw error; // created meanwhile by someone else
      console.log(`Postgres: database "${db.database}" exists`);
    }
  } finally {
    await client.end();
  }
}

async function stopOwn({ label, pidFile, expected, signal, timeoutMs }) {
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

// If the supervisor was killed hard, its Postgres may still run: stop it by its postmaster.pid.
async function stopOrphanPostgres() {
  const pid = readPid(path.join(PG_DATA, 'postmaster.pid'));
  if (!isAlive(pid, PG_DATA)) return;
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, PG_DATA, 15_000))) process.kill(pid, 'SIGQUIT');
  console.log(`Postgres: stopped the embedded server left behind by its supervisor (pid ${pid})`);
}

async function up() {
  await natsUp();
  await postgresUp();
}

async function down() {
  await stopOwn({
    label: 'NATS',
    pidFile: NATS_PID,
    expected: 'nats-server',
    signal: 'SIGTERM',
    timeoutMs: 10_000,
  });
  await stopOwn({
    label: 'Postgres',
    pidFile: PG_PID,
    expected: 'embedded-postgres',
    signal: 'SIGTERM',
    timeoutMs: 20_000,
  });
  await stopOrphanPostgres();
}

async function status() {
  const nats = natsTarget();
  const db = databaseTarget();
  const natsPid = readPid(NATS_PID);
  const pgPid = readPid(PG_PID);
  const natsProbe = await probeNats(nats);
  const pgProbe = await probePostgres(db);
  const own = (pid, expected) => (isAlive(pid, expected) ? `, started by infra.mjs, pid ${pid}` : '');

  if (natsProbe.up) {
    const js = natsProbe.jetstream ? 'JetStream on' : 'JetStream OFF';
    console.log(
      `NATS: ${nats.url} answers (nats-server ${natsProbe.version}, ${js}${own(natsPid, 'nats-server')})`,
    );
  } else {
    console.log(`NATS: ${nats.url} does not answer (${natsProbe.reason})`);
  }
  if (pgProbe.up) {
    const client = new pg.Client({ connectionString: db.adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    await client.end();
    const which = isAlive(pgPid, 'embedded-postgres') ? `embedded, pid ${pgPid}` : 'not started by infra.mjs';
    const database = `database "${db.database}" ${rowCount > 0 ? 'exists' : 'missing'}`;
    console.log(
      `Postgres: ${db.host}:${db.port} answers (PostgreSQL ${pgProbe.version}, ${which}; ${database})`,
    );
  } else {
    console.log(`Postgres: ${db.shown} does not answer (${pgProbe.reason})`);
  }
  return natsProbe.up && natsProbe.jetstream && pgProbe.up ? 0 : 1;
}

const commands = { up, down, status };
const command = process.argv[2];
if (!commands[command]) {
  console.error('usage: node infra/local/infra.mjs up|down|status');
  process.exit(2);
}
try {
  process.exitCode = (await commands[command]()) ?? 0;
} catch (error) {
  console.error(error instanceof InfraError ? error.message : error);
  process.exitCode = 1;
}
