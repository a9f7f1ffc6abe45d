import { ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { MetricsReport, type Sample } from '@optralis/contracts';

import { IntakeError } from '../intake/intake.errors';
import type { NormaliseContext } from './normalise';
import { normaliseOtlp } from './otlp.format';

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const RESOURCE = {
  'host.name': 'web-01.example.com',
  'host.arch': 'amd64',
  'os.type': 'linux',
  'service.name': 'checkout',
  'process.pid': 4242,
};

/** What an application instrumented with the OpenTelemetry SDK exports: a gauge, counters and histograms. */
async function collect(attributes: Record<string, string | number> = RESOURCE): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes(attributes),
    readers: [reader],
    views: [{ instrumentName: 'queue.wait', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('shop');
  meter.createGauge('system.memory.usage', { unit: 'By' }).record(2048, { state: 'used' });
  meter.createCounter('http.requests', { unit: '{request}' }).add(5, { route: '/cart' });
  meter.createCounter('jobs.done', { valueType: ValueType.INT, unit: '1' }).add(3);
  const duration = meter.createHistogram('http.server.duration', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 100] },
  });
  for (const value of [5, 50, 500]) duration.record(value);
  meter.createHistogram('queue.wait', { unit: 's' }).record(2);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

function context(): NormaliseContext {
  return { tenantId: 'default', receivedAt: new Date(), maxFutureSeconds: 600, retentionSeconds: 7 * 86_400 };
}

function bodyOf(resourceMetrics: ResourceMetrics, encoding: 'protobuf' | 'json'): Buffer {
  const serializer = encoding === 'protobuf' ? ProtobufMetricsSerializer : JsonMetricsSerializer;
  return Buffer.from(serializer.serializeRequest(resourceMetrics)!);
}

function refusal(
  body: Buffer | string,
  type: 'application/x-protobuf' | 'application/json',
  now = new Date(),
) {
  try {
    normaliseOtlp(Buffer.from(body), type, { ...context(), receivedAt: now });
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

const service = { 'service.name': 'checkout' };

describe(normaliseOtlp.name, () => {
  it.each(['protobuf', 'json'] as const)(
    'should map gauge, sums and histograms when the SDK exports %s',
    async (encoding) => {
      const { reports, dropped } = normaliseOtlp(
        bodyOf(await collect(), encoding),
        encoding === 'json' ? 'application/json' : 'application/x-protobuf',
        context(),
      );

      expect(dropped).toEqual({ nonFinite: 0, invalidName: 0, unsupported: 0 });
      expect(reports).toHaveLength(1);
      const report = reports[0]!;
      expect(report).toMatchObject({
        hostId: 'web-01_example_com',
        hostName: 'web-01.example.com',
        source: 'otlp',
        inventory: { 'host.arch': 'amd64', 'os.type': 'linux' },
      });
      expect(MetricsReport.safeParse(report).success).toBe(true);
      const seconds = { ...service, unit: 's' };
      expect(report.samples).toEqual(
        expect.arrayContaining<Sample>([
          { name: 'system.memory.usage', value: 2048, labels: { state: 'used', ...service, unit: 'By' } },
          { name: 'http.requests', value: 5, labels: { route: '/cart', ...service, unit: '{request}' } },
          { name: 'jobs.done', value: 3, labels: service },
          { name: 'http.server.duration.count', value: 3, labels: service },
          { name: 'http.server.duration.sum', value: 0.555, labels: seconds },
          { name: 'http.server.duration.min', value: 0.005, labels: seconds },
          { name: 'http.server.duration.max', value: 0.5, labels: seconds },
          { name: 'http.server.duration.bucket', value: 1, labels: { ...seconds, le: '0.01' } },
          { name: 'http.server.duration.bucket', value: 2, labels: { ...seconds, le: '0.1' } },
          { name: 'http.server.duration.bucket', value: 3, labels: { ...seconds, le: '+Inf' } },
          { name: 'queue.wait.count', value: 1, labels: service },
          { name: 'queue.wait.sum', value: 2, labels: seconds },
        ]),
      );
      expect(report.samples).toHaveLength(14);
      expect(report.samples.some((sample) => sample.name.startsWith('queue.wait.bucket'))).toBe(false);
    },
  );

  it('should give the same report id when the same export arrives as protobuf twice', async () => {
    const body = bodyOf(await collect(), 'protobuf');
    const first = normaliseOtlp(body, 'application/x-protobuf', context()).reports[0]!.id;
    expect(normaliseOtlp(body, 'application/x-protobuf', context()).reports[0]!.id).toBe(first);
    expect(first).toMatch(/^otlp:[0-9a-f]{64}$/);
  });

  it('should prefer host.id over host.name and keep the name for people', async () => {
    const body = bodyOf(await collect({ 'host.id': 'i-0abc*1', 'host.name': 'web-01' }), 'protobuf');
    expect(normaliseOtlp(body, 'application/x-protobuf', context()).reports[0]).toMatchObject({
      hostId: 'i-0abc_1',
      hostName: 'i-0abc*1',
    });
  });

  it('should refuse a resource without host.id or host.name naming it', async () => {
    const error = refusal(
      bodyOf(await collect({ 'service.name': 'x' }), 'protobuf'),
      'application/x-protobuf',
    );
    expect(error.detail).toBe(
      'resourceMetrics.0.resource: missing attribute "host.id" or "host.name", which names the host',
    );
    expect(error.extra).toEqual({ field: 'resourceMetrics.0.resource' });
  });
});

describe(`${normaliseOtlp.name} with broken protobuf`, () => {
  it('should refuse a truncated export naming the message', async () => {
    const body = bodyOf(await collect(), 'protobuf');
    expect(refusal(body.subarray(0, body.length - 7), 'application/x-protobuf').detail).toMatch(
      /^body is not a valid ExportMetricsServiceRequest protobuf: /,
    );
  });

  it('should accept an empty body as an export without metrics', () => {
    expect(normaliseOtlp(Buffer.alloc(0), 'application/x-protobuf', context())).toEqual({
      reports: [],
      dropped: { nonFinite: 0, invalidName: 0, unsupported: 0 },
    });
  });
});
