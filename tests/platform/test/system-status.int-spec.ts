import { SERVICE_NAMES } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

interface StatusBody {
  status: string;
  services: { name: string; status: string; version?: string; error?: { code: string } }[];
}

describe('GET /api/v1/system/status', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  const running = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    const env = { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: nats.namespace, DATABASE_URL: database.url };
    for (const service of SERVICE_NAMES) {
      running.set(
        service,
        await startServiceProcess({ service, portVariable: `${service.toUpperCase()}_PORT`, env }),
      );
    }
    for (const [service, child] of running) {
      await expectEventually(
        async () =>
          expect(
            (await getJson(`${child.url}/ready`)).status,
            `${service}: ${child.output().slice(-1500)}`,
          ).toBe(200),
        { timeoutMs: 45_000, intervalMs: 250 },
      );
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map((child) => child.stop()));
    await nats.cleanup();
    await database.drop();
  });

  it('should list all six services as up with their versions when every service runs', async () => {
    const gateway = running.get('gateway')!;
    const { status, body } = await getJson(`${gateway.url}/api/v1/system/status`);
    const result = body as StatusBody;
    expect(status).toBe(200);
    expect(result.status).toBe('ok');
    expect(result.services.map((service) => service.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(result.services.every((service) => service.status === 'up' && service.version === '0.1.0')).toBe(
      true,
    );
  });

  it('should mark a stopped service down and keep the others up when one service goes away', async () => {
    await running.get('ai')!.stop();
    const gateway = running.get('gateway')!;
    const result = await expectEventually(async () => {
      const body = (await getJson(`${gateway.url}/api/v1/system/status`)).body as StatusBody;
      expect(body.status).toBe('degraded');
      return body;
    });
    const ai = result.services.find((service) => service.name === 'ai');
    expect(ai).toMatchObject({ status: 'down', error: { code: 'unavailable' } });
    expect(result.services.filter((service) => service.status === 'up')).toHaveLength(5);
  });
});
