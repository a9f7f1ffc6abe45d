import { MetricsReport } from '@optralis/contracts';
import { serialize } from 'prometheus-remote-write';
import { parse } from 'protobufjs';
import { compressSync } from 'snappy';

import { IntakeError } from '../intake/intake.errors';
import type { NormaliseContext } from './normalise';
import { normaliseRemoteWrite } from './remote-write.format';

const receivedAt = new Date('2026-11-20T10:00:00.000Z');
const context: NormaliseContext = {
  tenantId: 'default',
  receivedAt,
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};
const now = receivedAt.getTime() - 15_000;

interface Series {
  labels: Record<string, string>;
  samples: { value: number; timestamp: number }[];
}

/** The wire body Prometheus sends: the package's WriteRequest encoder, then snappy block compression. */
async function remoteWrite(series: Series[]): Promise<Buffer> {
  const timeseries = series.map((entry) => ({
    labels: Object.entries(entry.labels).map(([name, value]) => ({ name, value })),
    samples: entry.samples,
  }));
  const encoded = await (serialize as unknown as (request: object) => Promise<Uint8Array>)({ timeseries });
  return compressSync(Buffer.from(encoded));
}

function refusal(body: Buffer, overrides: Partial<NormaliseContext> = {}): IntakeError {
  try {
    normaliseRemoteWrite(body, { ...context, ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

describe(normaliseRemoteWrite.name, () => {
  it('should turn series into samples grouped by instance and timestamp', async () => {
    const body = await remoteWrite([
      {
        labels: {
          __name__: 'node_cpu_seconds_total',
          instance: '10.0.0.5:9100',
          job: 'node',
          cpu: '0',
          mode: 'idle',
        },
        samples: [
          { value: 1234.5, timestamp: now },
          { value: 1244.5, timestamp: now + 10_000 },
        ],
      },
      {
        labels: { __name__: 'up', host: 'db-01', job: 'node', empty: '' },
        samples: [{ value: 1, timestamp: now }],
      },
    ]);

    const { reports, dropped } = normaliseRemoteWrite(body, context);

    expect(dropped).toEqual({ nonFinite: 0, invalidName: 0, unsupported: 0 });
    expect(reports.map((report) => [report.hostId, report.hostName, report.time, report.samples])).toEqual([
      [
        '10_0_0_5:9100',
        '10.0.0.5:9100',
        '2026-11-20T09:59:45.000Z',
        [{ name: 'node_cpu_seconds_total', value: 1234.5, labels: { job: 'node', cpu: '0', mode: 'idle' } }],
      ],
      [
        '10_0_0_5:9100',
        '10.0.0.5:9100',
        '2026-11-20T09:59:55.000Z',
        [{ name: 'node_cpu_seconds_total', value: 1244.5, labels: { job: 'node', cpu: '0', mode: 'idle' } }],
      ],
      ['db-01', 'db-01', '2026-11-20T09:59:45.000Z', [{ name: 'up', value: 1, labels: { job: 'node' } }]],
    ]);
    for (const report of reports) {
      expect(report.id).toMatch(/^prometheus:[0-9a-f]{64}$/);
      expect(MetricsReport.safeParse(report).success).toBe(true);
    }
  });

  it('should keep the host label when instance names the host', async () => {
    const body = await remoteWrite([
      { labels: { __name__: 'x', instance: 'i', host: 'h' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    expect(normaliseRemoteWrite(body, context).reports[0]).toMatchObject({
      hostId: 'i',
      samples: [{ labels: { host: 'h' } }],
    });
  });

  it('should give the same ids when the same request is sent twice', async () => {
    const body = await remoteWrite([
      { labels: { __name__: 'up', instance: 'a' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    const ids = normaliseRemoteWrite(body, context).reports.map((report) => report.id);
    expect(normaliseRemoteWrite(Buffer.from(body), context).reports.map((report) => report.id)).toEqual(ids);
  });

  it('should drop and count stale markers, infinities and unusable names', async () => {
    const stale = new DataView(new ArrayBuffer(8));
    stale.setUint32(0, 0x7ff00000);
    stale.setUint32(4, 0x00000002);
    const body = await remoteWrite([
      {
        labels: { __name__: 'up', instance: 'a' },
        samples: [
          { value: stale.getFloat64(0), timestamp: now },
          { value: Infinity, timestamp: now + 1 },
          { value: 1, timestamp: now + 2 },
        ],
      },
      { labels: { __name__: 'x'.repeat(300), instance: 'a' }, samples: [{ value: 1, timestamp: now }] },
      { labels: { instance: 'a' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    const { reports, dropped } = normaliseRemoteWrite(body, context);
    expect(reports.flatMap((report) => report.samples)).toEqual([{ name: 'up', value: 1 }]);
    expect(dropped).toEqual({ nonFinite: 2, invalidName: 2, unsupported: 0 });
  });

  it('should count native histograms as unsupported and ignore exemplars', () => {
    const { root } = parse(`
      syntax = "proto3";
      message WriteRequest { repeated TimeSeries timeseries = 1; }
      message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
      message Label { string name = 1; string value = 2; }
      message Sample { double value = 1; int64 timestamp = 2; }
      message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
      message Histogram { uint64 count_int = 1; double sum = 3; sint32 schema = 4; int64 timestamp = 15; }
    `);
    const type = root.lookupType('WriteRequest');
    const label = (name: string, value: string) => ({ name, value });
    const encoded = type
      .encode({
        timeseries: [
          {
            labels: [label('__name__', 'http_request_duration_seconds'), label('instance', 'a')],
            histograms: [
              { countInt: 3, sum: 1.5, schema: 3, timestamp: now },
              { countInt: 4, sum: 2, timestamp: now },
            ],
          },
          {
            labels: [label('__name__', 'requests_total'), label('instance', 'a')],
            samples: [{ value: 7, timestamp: now }],
            exemplars: [{ labels: [label('trace_id', 'abc')], value: 1, timestamp: now }],
          },
        ],
      })
      .finish();

    const { reports, dropped } = normaliseRemoteWrite(compressSync(Buffer.from(encoded)), context);

    expect(reports.flatMap((report) => report.samples)).toEqual([{ name: 'requests_total', value: 7 }]);
    expect(dropped.unsupported).toBe(2);
  });

  it('should normalise 1,000 series into one report when they share host and timestamp', async () => {
    const series = Array.from({ length: 1_000 }, (_, index) => ({
      labels: { __name__: `metric_${index % 50}`, instance: 'a', shard: String(index) },
      samples: [{ value: index, timestamp: now }],
    }));
    const { reports } = normaliseRemoteWrite(await remoteWrite(series), context);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.samples).toHaveLength(1_000);
  });

  it('should refuse a series without instance or host naming the series', async () => {
    const body = await remoteWrite([
      { labels: { __name__: 'up', instance: 'a' }, samples: [{ value: 1, timestamp: now }] },
      { labels: { __name__: 'up', job: 'x', instance: '' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    const error = refusal(body);
    expect(error.detail).toBe(
      'timeseries.1 ("up"): missing label "instance" or "host", which names the host',
    );
    expect(error.extra).toEqual({ field: 'timeseries.1' });
  });

  it('should refuse timestamps of 1970 and 2100 naming the series', async () => {
    const old = await remoteWrite([
      { labels: { __name__: 'up', instance: 'a' }, samples: [{ value: 1, timestamp: 1 }] },
    ]);
    expect(refusal(old).detail).toBe(
      'timeseries.0 ("up"): timestamp 1970-01-01T00:00:00.001Z is older than the retention of 7 days',
    );
    const future = await remoteWrite([
      {
        labels: { __name__: 'up', instance: 'a' },
        samples: [{ value: 1, timestamp: Date.parse('2100-01-01T00:00:00Z') }],
      },
    ]);
    expect(refusal(future).detail).toMatch(
      /^timeseries\.0 \("up"\): timestamp 2100-.* too far in the future/,
    );
  });

  it('should refuse 10,000 labels on one series without crashing', async () => {
    const labels: Record<string, string> = { __name__: 'up', instance: 'a' };
    for (let index = 0; index < 10_000; index++) labels[`l${index}`] = 'v';
    const error = refusal(await remoteWrite([{ labels, samples: [{ value: 1, timestamp: now }] }]));
    expect(error.detail).toBe('timeseries.0 ("up"): more than 32 labels');
  });

  it.each([
    ['random bytes', Buffer.from('not snappy at all, just text that is long enough')],
    ['an empty body', Buffer.alloc(0)],
    ['a gzip header', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00])],
  ])('should refuse %s as invalid snappy data', (_case, body) => {
    expect(refusal(body).detail).toBe('body is not valid snappy-compressed data');
  });

  it('should refuse a truncated protobuf as an invalid WriteRequest', async () => {
    const body = await remoteWrite([
      { labels: { __name__: 'up', instance: 'a' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    const { uncompressSync } = await import('snappy');
    const raw = uncompressSync(body, { asBuffer: true }) as Buffer;
    const error = refusal(compressSync(raw.subarray(0, raw.length - 3)));
    expect(error.detail).toMatch(/^body is not a valid WriteRequest protobuf: /);
  });

  it('should refuse with 413 when snappy announces more than the decompressed limit', async () => {
    const body = compressSync(Buffer.alloc(100_000));
    expect(refusal(body, { maxDecompressedBytes: 50_000 }).status).toBe(413);
  });
});
