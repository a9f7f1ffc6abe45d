import { randomUUID } from 'node:crypto';

import { Point } from '@influxdata/influxdb-client';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { HostEvent } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { serialize } from 'prometheus-remote-write';
import { compressSync } from 'snappy';

import { HostsModule } from '../src/hosts/hosts.module';
import { IntakeModule } from '../src/intake/intake.module';
import { QueriesModule } from '../src/queries/queries.module';
import { StorageModule } from '../src/storage/storage.module';
import { type IngestTestApp, startIngestTestApp, TokenAuthority } from './ingest-test-app';

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** Every wire format, posted over HTTP as real senders encode it, read back through rpc.ingest.*. */
describe('Ingest pipeline (HTTP → JetStream → writer → rpc.ingest.*)', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let ingest: IngestTestApp;
  let authority: TokenAuthority;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    authority = new TokenAuthority(nats.connection, nats.namespace).start();
    const env = { INGEST_WRITER_BATCH_WAIT_MS: '20', INGEST_ROLLUP_INTERVAL_SECONDS: '1' };
    ingest = await startIngestTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      env,
      modules: (config) => [
        IntakeModule,
        StorageModule.forRoot(config),
        HostsModule,
        QueriesModule.forRoot(config),
      ],
    });
  });

  afterAll(async () => {
    await ingest?.close();
    authority?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  function post(
    path: string,
    token: string,
    body: string | Buffer | Uint8Array,
    contentType: string,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${ingest.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...headers },
      body,
    });
  }

  function range(minutes = 10) {
    return {
      from: new Date(Date.now() - minutes * 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
  }

  it('should store an agent report and read host, inventory, series and latest values back', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const time = new Date(Date.now() - 5_000);
    for (const [seq, offset] of [
      [1, 0],
      [2, 1000],
    ]) {
      const body = {
        host: { id: 'agent-01', name: 'web-01', tags: ['prod'] },
        seq,
        time: new Date(time.getTime() + offset).toISOString(),
        metrics: [
          { name: 'cpu.usage_pct', value: 10 * seq },
          { name: 'disk.used_pct', value: 70 + seq, labels: { mount: '/' } },
        ],
        inventory: { os: 'Debian 12', kernel: '6.1.0' },
      };
      expect((await post('/v1/agent/reports', token, JSON.stringify(body), 'application/json')).status).toBe(
        202,
      );
    }

    const latest = await expectEventually(async () => {
      const reply = await ingest.rpc.call('rpc.ingest.metrics.latest', { tenantId, hostId: 'agent-01' });
      expect(reply.series.find((series) => series.name === 'cpu.usage_pct')?.value).toBe(20);
      return reply;
    });
    expect(latest.series.find((series) => series.name === 'disk.used_pct')).toMatchObject({
      labels: { mount: '/' },
      value: 72,
    });
    const host = await ingest.rpc.call('rpc.ingest.hosts.get', { tenantId, hostId: 'agent-01' });
    expect(host).toMatchObject({ id: 'agent-01', name: 'web-01', status: 'online', source: 'agent' });
    expect(host.inventory).toMatchObject({ os: 'Debian 12', kernel: '6.1.0' });
    expect(host.tags).toContain('prod');
    // Two batches may commit in either order (two writer connections): wait for both rows.
    const series = await expectEventually(async () => {
      const reply = await ingest.rpc.call('rpc.ingest.metrics.series', {
        tenantId,
        hostId: 'agent-01',
        names: ['cpu.usage_pct'],
        ...range(),
        stepSeconds: 1,
        resolution: 'raw',
      });
      expect(reply.series[0]?.points).toHaveLength(2);
      return reply;
    });
    expect(series.series).toHaveLength(1);
    expect(series.series[0].points.map(([, value]) => value)).toEqual([10, 20]);

    const events = await expectEventually(async () => {
      const found = (await nats.streamMessages<HostEvent>('EVENTS')).filter(
        (event) => event.tenantId === tenantId,
      );
      expect(found.map((event) => event.kind)).toContain('registered');
      return found;
    });
    expect(events.filter((event) => event.kind === 'registered')).toHaveLength(1);
  });

  it('should store InfluxDB line protocol from the Influx client, with string fields as inventory', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const now = Date.now() - 2_000;
    const lines = [
      new Point('cpu')
        .tag('host', 'telegraf-01')
        .tag('cpu', 'cpu-total')
        .floatField('usage_user', 12.5)
        .intField('count', 3)
        .timestamp(new Date(now)),
      new Point('system')
        .tag('host', 'telegraf-01')
        .stringField('os_release', 'Debian "bookworm"')
        .booleanField('ok', true)
        .timestamp(new Date(now)),
    ].map((point) => point.toLineProtocol()!.replace(/ (\d+)$/, (_, ns: string) => ` ${ns}`));
    const response = await post(
      '/api/v2/write?org=o&bucket=b&precision=ns',
      token,
      lines.join('\n'),
      'text/plain',
    );
    expect(response.status).toBe(204);

    const reply = await expectEventually(async () => {
      const found = await ingest.rpc.call('rpc.ingest.metrics.latest', { tenantId, hostId: 'telegraf-01' });
      expect(found.series.length).toBeGreaterThanOrEqual(3);
      return found;
    });
    expect(reply.series.find((series) => series.name === 'cpu.usage_user')).toMatchObject({
      labels: { cpu: 'cpu-total' },
      value: 12.5,
    });
    expect(reply.series.find((series) => series.name === 'system.ok')?.value).toBe(1);
    const host = await ingest.rpc.call('rpc.ingest.hosts.get', { tenantId, hostId: 'telegraf-01' });
    expect(host.inventory).toMatchObject({ 'system.os_release': 'Debian "bookworm"' });
  });

  it('should store a Prometheus remote-write request and key the host by its instance label', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const timestamp = Math.floor((Date.now() - 3_000) / 1000) * 1000;
    const encoded = await (serialize as unknown as (request: object) => Promise<Uint8Array>)({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'node_load1' },
            { name: 'instance', value: '10.0.0.7:9100' },
            { name: 'job', value: 'node' },
          ],
          samples: [{ value: 0.42, timestamp }],
        },
      ],
    });
    // The headers Prometheus itself sends with every remote-write request.
    const response = await post(
      '/api/v1/write',
      token,
      compressSync(Buffer.from(encoded)),
      'application/x-protobuf',
      {
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
      },
    );
    expect(response.status).toBe(204);

    const list = await expectEventually(async () => {
      const found = await ingest.rpc.call('rpc.ingest.hosts.list', { tenantId });
      expect(found.items).toHaveLength(1);
      return found;
    });
    const [host] = list.items;
    expect(host.name).toBe('10.0.0.7:9100');
    expect(host.id).not.toContain('.');
    const series = await ingest.rpc.call('rpc.ingest.metrics.series', {
      tenantId,
      hostId: host.id,
      names: ['node_load1'],
      ...range(),
      resolution: 'raw',
      stepSeconds: 1,
    });
    expect(series.series[0]).toMatchObject({
      labels: { job: 'node' },
      points: [[new Date(timestamp).toISOString(), 0.42]],
    });
  });

  it('should store OTLP/HTTP protobuf exported from an OpenTelemetry SDK meter', async () => {
    const tenantId = randomUUID();
    const token = authority.issue(tenantId);
    const reader = new CollectingReader();
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'host.name': 'otel-01' }),
      readers: [reader],
    });
    provider.getMeter('e2e').createGauge('queue.depth').record(17, { queue: 'mail' });
    const { resourceMetrics } = await reader.collect();
    await provider.shutdown();
    const body = ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!;
    const response = await post('/v1/metrics', token, Buffer.from(body), 'application/x-protobuf');
    expect(response.status).toBe(200);

    const reply = await expectEventually(async () => {
      const found = await ingest.rpc.call('rpc.ingest.metrics.latest', { tenantId, hostId: 'otel-01' });
      expect(found.series).toHaveLength(1);
      return found;
    });
    expect(reply.series[0]).toMatchObject({ name: 'queue.depth', labels: { queue: 'mail' }, value: 17 });
  });
});
