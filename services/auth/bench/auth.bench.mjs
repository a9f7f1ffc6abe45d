// npm run bench:auth — access-token verifications per second (in process) and login latency over RPC,
// against the built service (services/auth/dist) on the running NATS and a throw-away Postgres database.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Logger } = require('@nestjs/common');
const { Test } = require('@nestjs/testing');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { loadConfig } = require('@optralis/config');
const { DatabaseService } = require('@optralis/db');
const { connectNatsTransport, RpcClient } = require('@optralis/nats');
const { PlatformModule } = require('@optralis/service-kit');
const { createNatsNamespace, createTestDatabase, TEST_NATS_URL } = require('@optralis/testing');
const { AuthEnv } = require('../dist/config');
const { IdentityModule } = require('../dist/identity.module');
const { BootstrapService } = require('../dist/bootstrap/bootstrap.service');
const { KeysService } = require('../dist/keys/keys.service');
const { authMigrations } = require('../dist/migrations');

const VERIFY_SECONDS = 3;
const LOGINS = 200;
const admin = { email: 'bench@example.com', password: 'Bench-Copper-Lantern-93' };

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  Logger.overrideLogger(false);
  const database = await createTestDatabase();
  const nats = await createNatsNamespace();
  const config = loadConfig(AuthEnv, {
    DATABASE_URL: database.url,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: nats.namespace,
    LOG_LEVEL: 'silent',
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: admin.email,
    OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'auth', version: 'bench', config, migrations: authMigrations }),
      IdentityModule.forRoot(config),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  connectNatsTransport(app);
  try {
    await app.init();
    await app.startAllMicroservices();
    await app.get(DatabaseService).whenReady();
    await app.get(BootstrapService).whenDone();
    const rpc = app.get(RpcClient);
    const keys = app.get(KeysService);

    const first = await rpc.call('rpc.auth.login', admin);
    let verified = 0;
    const verifyStart = performance.now();
    while (performance.now() - verifyStart < VERIFY_SECONDS * 1000) {
      for (let index = 0; index < 100; index++) await keys.verifyAccess(first.accessToken);
      verified += 100;
    }
    const perSecond = verified / ((performance.now() - verifyStart) / 1000);

    const latencies = [];
    for (let index = 0; index < LOGINS; index++) {
      const started = performance.now();
      await rpc.call('rpc.auth.login', admin);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const format = (value) => `${value.toFixed(1)} ms`;
    console.log(
      `access-token verifications: ${Math.round(perSecond).toLocaleString('en')} per second (in process, ES256)`,
    );
    console.log(
      `login over RPC (${LOGINS} sequential, argon2id m=19 MiB t=2): p50 ${format(percentile(latencies, 50))}, ` +
        `p99 ${format(percentile(latencies, 99))}, max ${format(latencies[latencies.length - 1])}`,
    );
  } finally {
    await app.close();
    await nats.cleanup();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
