// Local infrastructure for Optralis: NATS with JetStream and PostgreSQL.
// node infra/local/infra.mjs up|down|status — see infra/local/README.md.
import { NATS_PID, natsDown, natsUp, probeNats } from './nats.mjs';
import { PG_PID, databaseExists, postgresDown, postgresUp, probePostgres } from './postgres.mjs';
import { InfraError, isAlive, readPid } from './processes.mjs';
import { databaseTarget, natsTarget } from './targets.mjs';

// Targets are read one at a time so a bad DATABASE_URL does not keep NATS from starting.
async function up() {
  await natsUp(natsTarget());
  await postgresUp(databaseTarget());
}

async function down() {
  await natsDown();
  await postgresDown();
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
    const exists = await databaseExists(db);
    const which = isAlive(pgPid, 'embedded-postgres') ? `embedded, pid ${pgPid}` : 'not started by infra.mjs';
    const database = `database "${db.database}" ${exists ? 'exists' : 'missing'}`;
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
