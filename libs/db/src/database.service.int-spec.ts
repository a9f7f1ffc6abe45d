import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, expectEventually, TcpProxy, TestDatabase } from '@optralis/testing';
import { DatabaseModule } from './database.module';
import { DatabaseService, ReadinessCheck } from './database.service';

class CreateHosts1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "inventory"."hosts" (id text PRIMARY KEY)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "inventory"."hosts"`);
  }
}

describe(DatabaseService.name, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: INestApplicationContext | undefined;

  const startApp = async (): Promise<DatabaseService> => {
    const url = new URL(database.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await NestFactory.createApplicationContext(
      DatabaseModule.forRoot({
        url: url.toString(),
        schema: 'inventory',
        migrations: [CreateHosts1700000000000],
      }),
      { logger: false },
    );
    return app.get(DatabaseService);
  };
  const check = (service: DatabaseService, name: string): Promise<void> => {
    const found = service.readinessChecks().find((candidate: ReadinessCheck) => candidate.name === name);
    return found!.check();
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    proxy = new TcpProxy();
    const target = new URL(database.url);
    await proxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await proxy.stop();
    await database.drop();
  });

  it('should report the reason and recover without restart when Postgres goes away and comes back', async () => {
    const service = await startApp();
    await service.whenReady();
    await expect(check(service, 'postgres')).resolves.toBeUndefined();

    await proxy.pause();

    await expectEventually(() => expect(check(service, 'postgres')).rejects.toThrow(/ECONNREFUSED/));
    await expect(check(service, 'migrations')).resolves.toBeUndefined();

    await proxy.resume();

    await expectEventually(() => expect(check(service, 'postgres')).resolves.toBeUndefined());
    const [row] = await app!.get(DataSource).query(`SELECT count(*)::int AS count FROM "inventory"."hosts"`);
    expect(row.count).toBe(0);
  });

  it('should become ready without restart when Postgres is unreachable at start and then comes back', async () => {
    await proxy.pause();
    const service = await startApp();

    await expectEventually(() =>
      expect(check(service, 'migrations')).rejects.toThrow(/^migrations pending: connect ECONNREFUSED/),
    );
    await expect(check(service, 'postgres')).rejects.toThrow(/ECONNREFUSED/);

    await proxy.resume();

    await service.whenReady();
    await expect(check(service, 'postgres')).resolves.toBeUndefined();
    await expect(check(service, 'migrations')).resolves.toBeUndefined();
    expect(service.timescale).toEqual({ available: expect.any(Boolean), installed: expect.any(Boolean) });
  });

  it('should reject whenReady when the application closes before Postgres was reachable', async () => {
    await proxy.pause();
    const service = await startApp();
    const ready = service.whenReady();

    await app!.close();
    app = undefined;

    await expect(ready).rejects.toThrow('database service stopped before it was ready');
  });
});
