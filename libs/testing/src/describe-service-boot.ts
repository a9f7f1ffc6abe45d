/// <reference types="vitest/globals" />

import { createTestDatabase, type TestDatabase } from './database';
import { TEST_NATS_URL } from './environment';
import { expectEventually } from './expect-eventually';
import { createNatsNamespace, type NatsTestNamespace } from './nats';
import { getJson, type ServiceProcess, startServiceProcess } from './service-process';
import { TcpProxy } from './tcp-proxy';

/**
 * The boot contract every service keeps (issue: platform foundation), run against the built service as a
 * real process on the running NATS and a database of its own.
 */
export function describeServiceBoot(input: { service: string; portVariable: string }): void {
  const { service, portVariable } = input;

  describe(`${service} service boot`, () => {
    let database: TestDatabase;
    let nats: NatsTestNamespace;
    const processes: ServiceProcess[] = [];
    const proxies: TcpProxy[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      nats = await createNatsNamespace();
    });

    afterAll(async () => {
      await Promise.all(processes.map((child) => child.stop()));
      await Promise.all(proxies.map((proxy) => proxy.stop()));
      await nats.cleanup();
      await database.drop();
    });

    async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
      const child = await startServiceProcess({
        service,
        portVariable,
        env: { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: nats.namespace, DATABASE_URL: database.url, ...env },
      });
      processes.push(child);
      return child;
    }

    async function expectReady(child: ServiceProcess): Promise<void> {
      await expectEventually(
        async () => {
          const ready = await getJson(`${child.url}/ready`);
          expect(ready.status, `${ready.text}\n${child.output().slice(-2000)}`).toBe(200);
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    }

    it(`should answer health, ready, metrics and rpc.${service}.ping when NATS and Postgres are up`, async () => {
      const child = await start();
      await expectReady(child);

      const health = await getJson(`${child.url}/health`);
      expect(health.body).toMatchObject({ status: 'ok', service });
      const ready = await getJson(`${child.url}/ready`);
      expect(Object.keys((ready.body as { checks: object }).checks).sort()).toEqual([
        'migrations',
        'nats',
        'postgres',
      ]);
      const metrics = await getJson(`${child.url}/metrics`);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');

      const reply = await expectEventually(async () => {
        const answer = await nats.connection.request(
          `${nats.namespace}.rpc.${service}.ping`,
          new TextEncoder().encode('{}'),
          {
            timeout: 2000,
          },
        );
        return answer.json<{ ok: boolean; data: { service: string; version: string } }>();
      });
      expect(reply).toMatchObject({
        ok: true,
        data: { service, version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      });
    });

    it(`should exit non-zero and name ${portVariable} when it is invalid`, async () => {
      const child = await start({ [portVariable]: 'not-a-port', LOG_LEVEL: 'chatty' });
      const exit = await child.exited;
      expect(exit.code).not.toBe(0);
      expect(child.output()).toContain(portVariable);
      expect(child.output()).toContain('LOG_LEVEL');
    });

    it('should report 503 with the reason while Postgres is unreachable and recover without a restart', async () => {
      const proxy = new TcpProxy();
      proxies.push(proxy);
      const target = new URL(database.url);
      await proxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      const proxied = new URL(database.url);
      proxied.port = String(proxy.port);
      const child = await start({ DATABASE_URL: proxied.toString() });
      await expectReady(child);

      await proxy.pause();
      const down = await expectEventually(
        async () => {
          const ready = await getJson(`${child.url}/ready`);
          expect(ready.status).toBe(503);
          return ready.body as { reason: string };
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(down.reason).toMatch(/postgres: /);

      await proxy.resume();
      await expectReady(child);
      expect(child.child.exitCode).toBeNull();
    });

    it('should bring two instances up when they start at the same moment on a fresh schema', async () => {
      const fresh = await createTestDatabase();
      try {
        const [first, second] = await Promise.all([
          start({ DATABASE_URL: fresh.url }),
          start({ DATABASE_URL: fresh.url }),
        ]);
        await Promise.all([expectReady(first), expectReady(second)]);
        await Promise.all([first.stop(), second.stop()]);
      } finally {
        await fresh.drop();
      }
    });
  });
}
