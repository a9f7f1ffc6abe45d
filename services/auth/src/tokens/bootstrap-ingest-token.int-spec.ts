import { randomBytes, randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { startTokensApp, type TokensApp } from '../../test/tokens-app';
import { BootstrapIngestToken } from './bootstrap-ingest-token.service';

describe(BootstrapIngestToken.name, () => {
  let nats: NatsTestNamespace;
  const apps: TokensApp[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    nats = await createNatsNamespace();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await nats.cleanup();
  });

  /** The tenants table belongs to the identity migrations; this test creates the part it reads. */
  async function databaseWithDefaultTenant(createTenant: boolean) {
    const database = await createTestDatabase();
    const dataSource = new DataSource({ type: 'postgres', url: database.url, poolSize: 1 });
    await dataSource.initialize();
    cleanups.push(async () => {
      await dataSource.destroy();
      await database.drop();
    });
    const tenantId = randomUUID();
    const addTenant = async () => {
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "auth"`);
      await dataSource.query(
        `CREATE TABLE IF NOT EXISTS "auth"."tenants" ("id" uuid PRIMARY KEY, "slug" text UNIQUE NOT NULL, "name" text NOT NULL)`,
      );
      await dataSource.query(`INSERT INTO "auth"."tenants" VALUES ($1, 'default', 'Default')`, [tenantId]);
    };
    if (createTenant) await addTenant();
    return { database, dataSource, tenantId, addTenant };
  }

  async function start(url: string, options: { token?: string; printed: string[] }) {
    const app = await startTokensApp({
      databaseUrl: url,
      namespace: nats.namespace,
      bootstrap: {
        token: options.token,
        pollIntervalMs: 20,
        waitForTenantMs: 15_000,
        print: (line) => options.printed.push(line),
      },
    });
    apps.push(app);
    return app;
  }

  it('should create one token and print it once when two instances start together, and nothing on a restart', async () => {
    const { database, dataSource, tenantId } = await databaseWithDefaultTenant(true);
    const printed: string[] = [];
    const [one, two] = await Promise.all([
      start(database.url, { printed }),
      start(database.url, { printed }),
    ]);
    const results = await Promise.all([one, two].map((app) => app.app.get(BootstrapIngestToken).whenDone()));
    expect(results.sort()).toEqual(['created', 'exists']);
    expect(printed).toHaveLength(1);
    const token = printed[0].split(': ')[1];
    await expect(one.rpc.call('rpc.auth.tokens.verify', { token })).resolves.toMatchObject({
      kind: 'ingest',
      tenantId,
      name: 'bootstrap',
    });

    const again = await start(database.url, { printed });
    await expect(again.app.get(BootstrapIngestToken).whenDone()).resolves.toBe('exists');
    expect(printed).toHaveLength(1);
    const rows = await dataSource.query(`SELECT "id" FROM "auth"."ingest_tokens"`);
    expect(rows).toHaveLength(1);
  });

  it('should adopt OPTRALIS_BOOTSTRAP_INGEST_TOKEN without printing it once tenant default appears', async () => {
    const { database, tenantId, addTenant } = await databaseWithDefaultTenant(false);
    const token = `opt_ing_${randomBytes(4).toString('hex')}_${randomBytes(24).toString('hex')}`;
    const printed: string[] = [];
    const app = await start(database.url, { token, printed });
    await addTenant();

    await expect(app.app.get(BootstrapIngestToken).whenDone()).resolves.toBe('created');
    await expectEventually(() =>
      expect(app.rpc.call('rpc.auth.tokens.verify', { token })).resolves.toMatchObject({
        tenantId,
        name: 'bootstrap',
      }),
    );
    expect(printed).toEqual([]);
  });
});
