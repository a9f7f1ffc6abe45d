import { randomBytes } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TcpProxy,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';
import { Client } from 'pg';

const METRICS_PER_REPORT = 20;
const INGEST_TOKEN = `opt_ing_faults01_${randomBytes(24).toString('hex')}`;

function report(host: number, seq: number) {
  return {
    host: { id: `fault-host-${host}`, name: `fault-host-${host}` },
    seq,
    time: new Date(Date.now() - 60_000 + seq * 10).toISOString(),
    metrics: Array.from({ length: METRICS_PER_REPORT }, (_, index) => ({
      name: `m.metric_${index}`,
      value: seq + index,
    })),
  };
}

/** The real auth and ingest processes, Postgres behind a proxy the test can cut, one database and namespace. */
describe('Ingest pipeline under faults (real processes)', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let auth: ServiceProcess;
  let sql: Client;
  const proxy = new TcpProxy();
  const ingests: ServiceProcess[] = [];
  let ingestEnv: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    const base = { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: nats.namespace, LOG_LEVEL: 'warn' };
    auth = await startServiceProcess({
      service: 'auth',
      portVariable: 'AUTH_PORT',
      env: { ...base, DATABASE_URL: database.url, OPTRALIS_BOOTSTRAP_INGEST_TOKEN: INGEST_TOKEN },
    });
    const target = new URL(database.url);
    const port = await proxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    target.port = String(port);
    ingestEnv = {
      ...base,
      DATABASE_URL: target.toString(),
      INGEST_WRITER_BATCH_SIZE: '50',
      INGEST_WRITER_BATCH_WAIT_MS: '20',
      INGEST_STATUS_SWEEP_SECONDS: '3600',
    };
    await expectEventually(async () => expect((await getJson(`${auth.url}/ready`)).status).toBe(200), {
      timeoutMs: 45_000,
      intervalMs: 250,
    });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(ingests.map((ingest) => ingest.stop()));
    await auth?.stop();
    await proxy.stop();
    await sql?.end();
    await nats?.cleanup();
    await database?.drop();
  });

  async function startIngest(): Promise<ServiceProcess> {
    const ingest = await startServiceProcess({
      service: 'ingest',
      portVariable: 'INGEST_PORT',
      env: ingestEnv,
    });
    ingests.push(ingest);
    await expectEventually(
      async () =>
        expect((await getJson(`${ingest.url}/ready`)).status, ingest.output().slice(-2000)).toBe(200),
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    return ingest;
  }

  async function postAll(ingest: ServiceProcess, reports: ReturnType<typeof report>[]): Promise<number[]> {
    const statuses: number[] = [];
    for (let start = 0; start < reports.length; start += 50) {
      const chunk = reports.slice(start, start + 50);
      const responses = await Promise.all(
        chunk.map((body) =>
          fetch(`${ingest.url}/v1/agent/reports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        ),
      );
      statuses.push(...responses.map((response) => response.status));
    }
    return statuses;
  }

  async function stored(hostPrefix: string): Promise<{ rows: number; samples: number; distinct: number }> {
    const result = await sql.query<{ rows: string; samples: string; distinct: string }>(
      `SELECT count(*) AS rows, coalesce(sum(cardinality(s.values)), 0) AS samples,
              count(DISTINCT (s.host_key, s.time)) AS distinct
         FROM ingest.samples s JOIN ingest.hosts h ON h.key = s.host_key
        WHERE h.host_id LIKE $1`,
      [`${hostPrefix}%`],
    );
    const row = result.rows[0];
    return { rows: Number(row.rows), samples: Number(row.samples), distinct: Number(row.distinct) };
  }

  it('should store every acknowledged report exactly once when the writer is killed mid-batch', async () => {
    const first = await startIngest();
    const reports = Array.from({ length: 3000 }, (_, index) => report(index % 30, 1000 + index));
    const statuses = await postAll(first, reports);
    expect(statuses.every((status) => status === 202)).toBe(true);

    await expectEventually(
      async () => expect((await stored('fault-host-')).rows, first.output().slice(-3000)).toBeGreaterThan(0),
      { intervalMs: 10, timeoutMs: 20_000 },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await stored('fault-host-')).rows).toBeLessThan(reports.length);

    await startIngest();
    await expectEventually(async () => expect((await stored('fault-host-')).rows).toBe(reports.length), {
      timeoutMs: 60_000,
    });
    const totals = await stored('fault-host-');
    expect(totals).toEqual({ rows: 3000, samples: 3000 * METRICS_PER_REPORT, distinct: 3000 });
  }, 120_000);

  it('should accept reports while Postgres is down, store nothing partial, and catch up once it is back', async () => {
    const ingest = await startIngest();
    const before = await postAll(
      ingest,
      Array.from({ length: 100 }, (_, index) => ({
        ...report(index, 5),
        host: { id: `pg-down-${index}`, name: `pg-down-${index}` },
      })),
    );
    expect(before.every((status) => status === 202)).toBe(true);
    await expectEventually(async () => expect((await stored('pg-down-')).rows).toBe(100));

    await proxy.pause();
    await expectEventually(async () => {
      const ready = await getJson(`${ingest.url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.text).toMatch(/postgres/);
    });
    const during = await postAll(
      ingest,
      Array.from({ length: 400 }, (_, index) => ({
        ...report(index % 100, 6 + Math.floor(index / 100)),
        host: { id: `pg-down-${index % 100}`, name: `pg-down-${index % 100}` },
      })),
    );
    expect(during.every((status) => status === 202)).toBe(true);
    expect((await stored('pg-down-')).rows).toBe(100);

    await proxy.resume();
    await expectEventually(async () => expect((await stored('pg-down-')).rows).toBe(500), {
      timeoutMs: 60_000,
    });
    expect(await stored('pg-down-')).toEqual({ rows: 500, samples: 500 * METRICS_PER_REPORT, distinct: 500 });
  }, 120_000);
});
