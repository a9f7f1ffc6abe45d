// Warm `rpc.auth.tokens.verify` throughput: in-process (the cache path) and over NATS request/reply.
// Needs the build (npm run build) and the local NATS and Postgres; uses its own database and namespace.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { NestFactory } = require('@nestjs/core');
const { loadConfig } = require('@optralis/config');
const { DatabaseService } = require('@optralis/db');
const { connectNatsTransport, RpcClient } = require('@optralis/nats');
const { PlatformModule } = require('@optralis/service-kit');
const { DataSource } = require('typeorm');
const { AuthEnv } = require('../dist/config');
const { authMigrations } = require('../dist/migrations');
const { TokensModule } = require('../dist/tokens/tokens.module');
const { TokenVerifier } = require('../dist/tokens/token-verifier.service');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/optralis';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function databaseUrl(name) {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onMaintenance(sql) {
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl('postgres'), poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.destroy();
  }
}

async function measure(label, run) {
  const deadline = performance.now() + SECONDS * 1000;
  let calls = 0;
  const started = performance.now();
  while (performance.now() < deadline) calls += await run();
  const elapsed = (performance.now() - started) / 1000;
  const perSecond = Math.round(calls / elapsed);
  console.log(
    `${label.padEnd(44)} ${String(perSecond).padStart(10)} verify/s  ${((1e6 * elapsed) / calls).toFixed(2)} µs/call`,
  );
}

const name = `optralis_bench_${randomBytes(4).toString('hex')}`;
const namespace = `bench${randomBytes(4).toString('hex')}`;
await onMaintenance(`CREATE DATABASE "${name}"`);
const config = loadConfig(AuthEnv, {
  DATABASE_URL: databaseUrl(name),
  NATS_URL,
  NATS_NAMESPACE: namespace,
  LOG_LEVEL: 'silent',
});
const { Module } = require('@nestjs/common');
class BenchModule {}
Module({
  imports: [
    PlatformModule.forRoot({ service: 'auth', version: 'bench', config, migrations: authMigrations }),
    TokensModule.forRoot({ waitForTenantMs: 0, print: () => undefined }),
  ],
})(BenchModule);
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false });
connectNatsTransport(app);
try {
  await app.init();
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  const rpc = app.get(RpcClient);
  const verifier = app.get(TokenVerifier);
  const actor = { userId: randomUUID(), tenantId: randomUUID(), role: 'admin' };
  const { token } = await rpc.call('rpc.auth.apiTokens.create', { actor, name: 'bench', role: 'observer' });
  await verifier.verify(token);

  console.log(`warm verify of one API token, ${SECONDS} s each (node ${process.version})`);
  await measure('in-process TokenVerifier.verify', async () => {
    for (let index = 0; index < 1000; index++) await verifier.verify(token);
    return 1000;
  });
  await measure('over NATS RPC, 1 in flight', async () => {
    await rpc.call('rpc.auth.tokens.verify', { token });
    return 1;
  });
  await measure('over NATS RPC, 64 in flight', async () => {
    await Promise.all(Array.from({ length: 64 }, () => rpc.call('rpc.auth.tokens.verify', { token })));
    return 64;
  });
} finally {
  await app.close();
  const nats = await require('nats').connect({ servers: NATS_URL });
  const manager = await nats.jetstreamManager();
  for (const stream of ['METRICS', 'EVENTS', 'ALERTS', 'AUDIT', 'DEADLETTER']) {
    await manager.streams.delete(`${namespace.toUpperCase()}_${stream}`).catch(() => undefined);
  }
  await nats.close();
  await onMaintenance(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
