import { Body, Controller, Get, Logger, Module, Param, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { once } from 'node:events';
import { type IncomingMessage, type Server, request as httpRequest } from 'node:http';
import type { DestinationStream } from 'pino';
import { configureHttp } from './configure-http';
import { ObservabilityModule } from './observability.module';
import { ReadinessRegistry } from './readiness.registry';
import { runWithTrace } from './trace-context';

type LogLine = Record<string, unknown> & { msg?: string };
type DatabaseState = 'up' | 'down' | 'hanging';

const state: { database: DatabaseState } = { database: 'up' };

@Controller('hosts')
class HostsController {
  private readonly logger = new Logger(HostsController.name);

  @Get(':hostId')
  find(@Param('hostId') hostId: string): { hostId: string } {
    this.logger.log({ hostId }, 'host looked up');
    return { hostId };
  }

  @Post()
  async create(@Body() body: { hostId: string }): Promise<{ hostId: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.logger.log({ hostId: body.hostId }, 'host created');
    return body;
  }

  @Get(':hostId/fail')
  fail(): never {
    throw new Error('storage exploded');
  }
}

@Module({ imports: [ObservabilityModule.forRoot(options())], controllers: [HostsController] })
class TestAppModule {}

const lines: LogLine[] = [];

function options() {
  const destination: DestinationStream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return {
    service: 'inventory',
    version: '1.2.3',
    logLevel: 'info',
    logDestination: destination,
    readinessTimeoutMs: 100,
  };
}

async function eventually<T>(assertion: () => T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Sends the headers, waits for the server to see them, then the body: the body lands in another async context. */
async function postInTwoParts(
  server: Server,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  const request = httpRequest(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve).on('error', reject);
  });
  const received = once(server, 'request');
  request.flushHeaders();
  await received;
  request.end(body);
  const { statusCode } = await response;
  return statusCode ?? 0;
}

/** Count of the latency histogram's series carrying these labels (label order is prom-client's business). */
function requestCount(exposition: string, labels: Record<string, string>): number {
  const wanted = { service: 'inventory', method: 'GET', ...labels };
  const series = exposition
    .split('\n')
    .filter((line) => line.startsWith('http_request_duration_seconds_count{'))
    .find((line) => Object.entries(wanted).every(([name, value]) => line.includes(`${name}="${value}"`)));
  return series ? Number(series.split(' ').at(-1)) : 0;
}

function linesWith(field: string, value: unknown): LogLine[] {
  return lines.filter((line) => line[field] === value);
}

describe(ObservabilityModule.name, () => {
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { bufferLogs: true });
    configureHttp(app);
    app.get(ReadinessRegistry).register({
      name: 'database',
      check: async () => {
        if (state.database === 'down') throw new Error('connection refused');
        if (state.database === 'hanging') await new Promise(() => undefined);
      },
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  beforeEach(() => {
    state.database = 'up';
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should report the service and its version when /health is requested', async () => {
    const response = await fetch(`${baseUrl}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      service: 'inventory',
      version: '1.2.3',
      uptimeSeconds: expect.any(Number),
    });
  });

  it('should answer 200 when every readiness check passes', async () => {
    const response = await fetch(`${baseUrl}/ready`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true, latencyMs: expect.any(Number) } },
    });
  });

  it('should answer 503 with the reason when a readiness check fails', async () => {
    state.database = 'down';

    const response = await fetch(`${baseUrl}/ready`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'not_ready',
      reason: 'database: connection refused',
      checks: { database: { ok: false, reason: 'connection refused' } },
    });
  });

  it('should answer 503 with a timeout reason when a readiness check hangs', async () => {
    state.database = 'hanging';

    const response = await fetch(`${baseUrl}/ready`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ reason: 'database: timed out after 100 ms' });
  });

  it('should expose default metrics and the latency histogram by route pattern when /metrics is scraped', async () => {
    await fetch(`${baseUrl}/hosts/42`);
    await fetch(`${baseUrl}/hosts/43/fail`);
    await fetch(`${baseUrl}/no/such/route`);

    const response = await fetch(`${baseUrl}/metrics`);
    const body = await response.text();

    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toMatch(/^process_cpu_user_seconds_total\{service="inventory"\} /m);
    expect(requestCount(body, { route: '/hosts/:hostId', status_code: '200' })).toBeGreaterThan(0);
    expect(requestCount(body, { route: '/hosts/:hostId/fail', status_code: '500' })).toBeGreaterThan(0);
    expect(requestCount(body, { route: 'unmatched', status_code: '404' })).toBeGreaterThan(0);
    expect(body).not.toContain('route="/hosts/42"');
  });

  it('should echo the request id and put it on every log line of the request when x-request-id is sent', async () => {
    const response = await fetch(`${baseUrl}/hosts/7`, { headers: { 'x-request-id': 'abc' } });

    expect(response.headers.get('x-request-id')).toBe('abc');
    const requestLines = await eventually(() => {
      const found = linesWith('request_id', 'abc');
      expect(found.map((line) => line.msg)).toEqual(['host looked up', 'request completed']);
      return found;
    });
    expect(requestLines[0]).toMatchObject({
      service: 'inventory',
      version: '1.2.3',
      hostId: '7',
      context: 'HostsController',
    });
    expect(requestLines[1]).toMatchObject({ req: expect.objectContaining({ id: 'abc', url: '/hosts/7' }) });
    expect(new Set(requestLines.map((line) => line.trace_id)).size).toBe(1);
  });

  it('should keep the trace context in the handler when the body arrives after the headers', async () => {
    await postInTwoParts(
      app.getHttpServer(),
      `${baseUrl}/hosts`,
      { 'x-request-id': 'with-body' },
      JSON.stringify({ hostId: 'h-9' }),
    );

    await eventually(() =>
      expect(linesWith('request_id', 'with-body').map((line) => line.msg)).toContain('host created'),
    );
  });

  it('should take the trace id from traceparent when it is well formed', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

    await fetch(`${baseUrl}/hosts/8`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'with-parent' },
    });

    await eventually(() =>
      expect(linesWith('request_id', 'with-parent')[0]).toMatchObject({ trace_id: traceId }),
    );
  });

  it('should replace the ids when traceparent and x-request-id are malformed', async () => {
    const response = await fetch(`${baseUrl}/hosts/9`, {
      headers: { traceparent: '00-not-a-trace-01', 'x-request-id': 'bad id;drop table' },
    });

    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await eventually(() => {
      const [found] = linesWith('request_id', requestId);
      expect(found).toBeDefined();
      return found;
    });
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('should log nothing for probes when /health, /ready and /metrics are requested', async () => {
    const probeIds = ['probe-health', 'probe-ready', 'probe-metrics'];
    for (const [index, path] of ['/health', '/ready', '/metrics'].entries()) {
      await fetch(`${baseUrl}${path}`, { headers: { 'x-request-id': probeIds[index] } });
    }
    await fetch(`${baseUrl}/hosts/10`, { headers: { 'x-request-id': 'after-probes' } });

    await eventually(() =>
      expect(linesWith('request_id', 'after-probes').map((line) => line.msg)).toContain('request completed'),
    );
    expect(lines.filter((line) => probeIds.includes(line.request_id as string))).toEqual([]);
  });

  it('should carry the ids of the trace context when a log is written under runWithTrace', async () => {
    const logger = new Logger('NatsConsumer');

    await runWithTrace({ traceId: 't1', requestId: 'r1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.log('message handled');
    });

    await eventually(() =>
      expect(linesWith('msg', 'message handled')).toEqual([
        expect.objectContaining({
          trace_id: 't1',
          request_id: 'r1',
          context: 'NatsConsumer',
          service: 'inventory',
        }),
      ]),
    );
  });
});
