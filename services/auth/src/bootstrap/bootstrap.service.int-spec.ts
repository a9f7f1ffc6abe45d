import { Logger } from '@nestjs/common';
import { loadConfig } from '@optralis/config';
import { createDataSource, type DatabaseService, runMigrationsLocked } from '@optralis/db';
import { createTestDatabase, type TestDatabase } from '@optralis/testing';
import type { DataSource } from 'typeorm';

import { AuthEnv } from '../config';
import { CreateIdentity1763700000000 } from '../migrations/1763700000000-create-identity';
import type { AuditTrail } from '../shared/audit.trail';
import { PasswordHasher } from '../shared/password.hasher';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { BootstrapRepository } from './bootstrap.repository';
import { BootstrapService, DEFAULT_ADMIN_EMAIL } from './bootstrap.service';

describe(BootstrapService.name, () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  const audit = { record: vi.fn(async () => undefined) } as unknown as AuditTrail;
  const ready = { whenReady: async () => undefined } as unknown as DatabaseService;

  async function instance(environment: Record<string, string> = {}): Promise<BootstrapService> {
    const dataSource = await createDataSource({
      url: database.url,
      schema: 'auth',
      migrations: [CreateIdentity1763700000000],
    }).initialize();
    dataSources.push(dataSource);
    await runMigrationsLocked(dataSource, { schema: 'auth' });
    const config = loadConfig(AuthEnv, { LOG_LEVEL: 'silent', ...environment });
    return new BootstrapService(
      new BootstrapRepository(dataSource),
      new TenantsRepository(dataSource),
      new UsersRepository(dataSource),
      new PasswordHasher(),
      audit,
      ready,
      config,
    );
  }

  async function counts(): Promise<{ tenants: number; owners: number; users: number }> {
    const [row] = await dataSources[0].query(`SELECT
      (SELECT count(*)::int FROM "auth"."tenants") AS tenants,
      (SELECT count(*)::int FROM "auth"."memberships" WHERE "role" = 'owner') AS owners,
      (SELECT count(*)::int FROM "auth"."users") AS users`);
    return row;
  }

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await Promise.all(dataSources.splice(0).map((source) => source.destroy()));
    await database.drop();
    vi.restoreAllMocks();
  });

  it('should create one tenant and one owner and change nothing when it runs twice', async () => {
    const sut = await instance({
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: 'Amber-Falcon-Ridge-64',
    });

    const first = await sut.run();
    const second = await sut.run();

    expect(first).toMatchObject({ createdTenant: true, createdAdmin: true, tenantSlug: 'default' });
    expect(second).toMatchObject({ createdTenant: false, createdAdmin: false, tenantId: first.tenantId });
    expect(second.adminUserId).toBe(first.adminUserId);
    expect(await counts()).toEqual({ tenants: 1, owners: 1, users: 1 });
    const [user] = await dataSources[0].query(`SELECT "email" FROM "auth"."users"`);
    expect(user.email).toBe('ops@example.com');
  });

  it('should create one tenant and one owner and print the password once when two instances start together', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const [a, b] = await Promise.all([instance(), instance()]);

    const outcomes = await Promise.all([a.run(), b.run()]);

    expect(outcomes.filter((outcome) => outcome.createdTenant)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.createdAdmin)).toHaveLength(1);
    expect(await counts()).toEqual({ tenants: 1, owners: 1, users: 1 });
    const printed = write.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((line) => line.includes('admin password'));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(DEFAULT_ADMIN_EMAIL);
  });

  it('should run registered steps with the tenant and owner when a later capability hooks in', async () => {
    const sut = await instance();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const step = { name: 'ingest-token', run: vi.fn(async () => undefined) };
    sut.register(step);

    const outcome = await sut.run();

    expect(step.run).toHaveBeenCalledWith({
      tenantId: outcome.tenantId,
      tenantSlug: 'default',
      adminUserId: outcome.adminUserId,
    });
  });
});
