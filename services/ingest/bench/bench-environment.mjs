// The benchmark's surroundings: NATS and Postgres (started the way infra/local does when they are
// missing), a throw-away database, a private NATS namespace, free ports and an ordered cleanup list.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import pg from 'pg';

import { natsUp } from '../../../infra/local/nats.mjs';
import { postgresUp } from '../../../infra/local/postgres.mjs';
import { InfraError } from '../../../infra/local/processes.mjs';
import { databaseTarget, natsTarget } from '../../../infra/local/targets.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/optralis';

/** A short random id of lowercase letters and digits (safe in database, subject and stream names). */
export function randomId(length = 8) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * NATS with JetStream and Postgres reachable, as `npm run infra:up` makes them (it may start them). The
 * database it makes sure of is `postgres`: the benchmark needs none but its own.
 */
export async function ensureInfrastructure() {
  try {
    await natsUp(natsTarget(NATS_URL));
    await postgresUp({ ...databaseTarget(DATABASE_URL), database: 'postgres' });
  } catch (error) {
    const reason = error instanceof InfraError ? error.message : error.stack;
    throw new Error(`NATS and Postgres are needed (see infra/local/README.md, npm run infra:up):\n${reason}`);
  }
}

async function onMaintenanceDatabase(sql) {
  const client = new pg.Client({
    connectionString: databaseTarget(DATABASE_URL).adminUrl,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database, as libs/testing createTestDatabase makes one. */
export async function createBenchDatabase() {
  const name = `bench_ingest_${randomId()}`;
  await onMaintenanceDatabase(`CREATE DATABASE "${name}"`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onMaintenanceDatabase(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A NATS_NAMESPACE of our own; `cleanup` deletes every stream the services created under it. */
export function createNamespace() {
  const namespace = `bench${randomId()}`;
  return {
    namespace,
    async cleanup() {
      const connection = await connect({ servers: NATS_URL, name: `bench-cleanup-${namespace}` });
      try {
        const manager = await connection.jetstreamManager();
        const prefix = `${namespace.toUpperCase()}_`;
        const names = [];
        for await (const name of manager.streams.names()) if (name.startsWith(prefix)) names.push(name);
        for (const name of names) await manager.streams.delete(name);
        return names;
      } finally {
        await connection.close();
      }
    },
  };
}

/** Cleanup steps run last-in first-out, each once, each failure printed but not fatal. */
export class Cleanup {
  #steps = [];
  #running;

  add(label, step) {
    this.#steps.push({ label, step });
  }

  run() {
    this.#running ??= (async () => {
      while (this.#steps.length > 0) {
        const { label, step } = this.#steps.pop();
        try {
          await step();
        } catch (error) {
          console.error(`cleanup: ${label} failed: ${error.message}`);
        }
      }
    })();
    return this.#running;
  }
}
