import { Point } from '@influxdata/influxdb-client';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { serialize } from 'prometheus-remote-write';
import { Writer } from 'protobufjs';
import { compressSync } from 'snappy';

import { IntakeError } from '../intake/intake.errors';
import { normaliseAgentReport } from './agent.format';
import { normaliseInfluxLineProtocol } from './influx.format';
import type { NormaliseContext } from './normalise';
import { normaliseOtlp } from './otlp.format';
import { normaliseRemoteWrite } from './remote-write.format';

const context: NormaliseContext = {
  tenantId: 'default',
  receivedAt: new Date('2026-11-20T10:00:00.000Z'),
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};

/** Deterministic, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomBytes(next: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
}

/** Mutates a valid payload: flips, drops and duplicates bytes at random places. */
function mutate(next: () => number, valid: Buffer): Buffer {
  const bytes = [...valid];
  const edits = 1 + Math.floor(next() * 4);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * bytes.length);
    const kind = next();
    if (kind < 0.4) bytes[at] = Math.floor(next() * 256);
    else if (kind < 0.7) bytes.splice(at, 1);
    else bytes.splice(at, 0, bytes[at] ?? 0);
  }
  return Buffer.from(bytes);
}

function onlyIntakeErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof IntakeError)) throw error;
    expect(error.status === 400 || error.status === 413).toBe(true);
  }
}

const seconds = Math.floor(context.receivedAt.getTime() / 1000) - 5;
const lineProtocol = Buffer.from(
  [
    new Point('cpu')
      .tag('host', 'web 01')
      .tag('core', 'a,b=c')
      .floatField('usage', 1.5)
      .intField('n', 2)
      .timestamp(seconds),
    new Point('log')
      .tag('host', 'h')
      .stringField('msg', 'he said "x" \\')
      .booleanField('ok', false)
      .timestamp(seconds),
  ]
    .map((point) => point.toLineProtocol())
    .join('\n'),
);
const agentJson = Buffer.from(
  JSON.stringify({
    host: { id: 'h', name: 'h' },
    seq: 1,
    time: context.receivedAt.toISOString(),
    metrics: [{ name: 'cpu', value: 1, labels: { a: 'b' } }],
  }),
);

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

async function otlpExport(): Promise<{ protobuf: Buffer; json: Buffer }> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'host.name': 'h' }),
    readers: [reader],
  });
  const meter = provider.getMeter('fuzz');
  meter.createCounter('requests', { unit: 'ms' }).add(2, { route: '/' });
  meter.createHistogram('latency').record(3);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return {
    protobuf: Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!),
    json: Buffer.from(JsonMetricsSerializer.serializeRequest(resourceMetrics)!),
  };
}

describe('hostile input', () => {
  const formats: [string, (body: Buffer) => unknown][] = [
    ['agent', (body) => normaliseAgentReport(body, context)],
    ['influx', (body) => normaliseInfluxLineProtocol(body.toString('utf8'), 'ns', context)],
    ['remote-write', (body) => normaliseRemoteWrite(body, context)],
    ['otlp protobuf', (body) => normaliseOtlp(body, 'application/x-protobuf', context)],
    ['otlp json', (body) => normaliseOtlp(body, 'application/json', context)],
  ];

  it.each(formats)(
    'should answer random bytes with a 400 or a result when the format is %s',
    (_name, normalise) => {
      const next = random(42);
      for (let round = 0; round < 300; round++) {
        onlyIntakeErrors(() => normalise(randomBytes(next, Math.floor(next() * 200))));
      }
    },
  );

  it('should answer mutated and truncated versions of valid payloads with a 400 or a result', async () => {
    const write = await (serialize as unknown as (request: object) => Promise<Uint8Array>)({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'up' },
            { name: 'instance', value: 'a' },
          ],
          samples: [{ value: 1, timestamp: seconds * 1000 }],
        },
      ],
    });
    const valid: [(body: Buffer) => unknown, Buffer][] = [
      [(body) => normaliseAgentReport(body, context), agentJson],
      [(body) => normaliseInfluxLineProtocol(body.toString('latin1'), 's', context), lineProtocol],
      [(body) => normaliseRemoteWrite(body, context), compressSync(Buffer.from(write))],
      [(body) => normaliseRemoteWrite(compressSync(body), context), Buffer.from(write)],
    ];
    const otlp = await otlpExport();
    const now = { ...context, receivedAt: new Date() };
    valid.push(
      [(body) => normaliseOtlp(body, 'application/x-protobuf', now), otlp.protobuf],
      [(body) => normaliseOtlp(body, 'application/json', now), otlp.json],
    );
    const next = random(7);
    for (const [normalise, body] of valid) {
      expect(() => normalise(body)).not.toThrow();
      for (let length = 0; length < body.length; length++)
        onlyIntakeErrors(() => normalise(body.subarray(0, length)));
      for (let round = 0; round < 500; round++) onlyIntakeErrors(() => normalise(mutate(next, body)));
    }
  });

  it('should refuse attributes nested thousands deep in JSON and protobuf with a 400', () => {
    const depth = 5_000;
    const nested = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}`;
    const json = `{"resourceMetrics":[{"resource":{"attributes":[{"key":"host.name","value":{"stringValue":"h"}}]},"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asDouble":1,"attributes":[{"key":"deep","value":${nested}}]}]}}]}]}]}`;
    expect(() => normaliseOtlp(Buffer.from(json), 'application/json', context)).toThrow(IntakeError);

    const field = (number: number, bytes: Uint8Array) =>
      Writer.create()
        .uint32((number << 3) | 2)
        .bytes(bytes)
        .finish();
    let value = Writer.create()
      .uint32((1 << 3) | 2)
      .string('x')
      .finish();
    for (let level = 0; level < 500; level++) value = field(5, field(1, value));
    const attribute = Buffer.concat([
      Writer.create()
        .uint32((1 << 3) | 2)
        .string('deep')
        .finish(),
      field(2, value),
    ]);
    const body = field(1, field(2, field(2, Buffer.concat([field(5, field(1, field(7, attribute)))]))));
    expect(() => normaliseOtlp(Buffer.from(body), 'application/x-protobuf', context)).toThrow(IntakeError);
  });
});
