// PostgreSQL for infra.mjs: use a running server, or start the embedded one through
// embedded-postgres.mjs; either way make sure the database exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  InfraError,
  LOCAL_HOSTS,
  ROOT,
  STATE_DIR,
  isAlive,
  readPid,
  stopOwn,
  tail,
  tcpOpen,
  waitForExit,
} from './processes.mjs';

export const PG_PID = path.join(STATE_DIR, 'postgres.pid');
const PG_LOG = path.join(STATE_DIR, 'postgres.log');
const PG_DATA = path.join(STATE_DIR, 'postgres');

export async function probePostgres(db) {
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

export async function databaseExists(db) {
  const client = new pg.Client({ connectionString: db.adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
  await client.end();
  return rowCount > 0;
}

export async function postgresUp(db) {
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

// If the supervisor was killed hard, its Postgres may still run: stop it by its postmaster.pid.
async function stopOrphanPostgres() {
  const pid = readPid(path.join(PG_DATA, 'postmaster.pid'));
  if (!isAlive(pid, PG_DATA)) return;
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, PG_DATA, 15_000))) process.kill(pid, 'SIGQUIT');
  console.log(`Postgres: stopped the embedded server left behind by its supervisor (pid ${pid})`);
}

export async function postgresDown() {
  await stopOwn({
    label: 'Postgres',
    pidFile: PG_PID,
    expected: 'embedded-postgres',
    signal: 'SIGTERM',
    timeoutMs: 20_000,
  });
  await stopOrphanPostgres();
}
