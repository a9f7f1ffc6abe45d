import { IntakeError } from '../intake/intake.errors';
import type { NormaliseContext } from './normalise';
import { normaliseOtlp } from './otlp.format';

const receivedAt = new Date('2026-11-20T10:00:00.000Z');
const context: NormaliseContext = {
  tenantId: 'default',
  receivedAt,
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};
const time = '1795168799999999999';

/** OTLP/JSON as a collector writes it: lowerCamelCase keys, 64-bit integers as strings, one resource. */
function request(
  metrics: object[],
  attributes: object[] = [{ key: 'host.name', value: { stringValue: 'h' } }],
) {
  return {
    resourceMetrics: [{ resource: { attributes }, scopeMetrics: [{ scope: { name: 's' }, metrics }] }],
  };
}

function normalise(body: object) {
  return normaliseOtlp(Buffer.from(JSON.stringify(body)), 'application/json', context);
}

function refusal(body: object | string): IntakeError {
  try {
    normaliseOtlp(
      Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      'application/json',
      context,
    );
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

describe(`${normaliseOtlp.name} with OTLP/JSON`, () => {
  it('should read nanoseconds beyond 2^53 exactly when they arrive as a string', () => {
    const { reports } = normalise(
      request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asInt: '7' }] } }]),
    );
    expect(reports[0]).toMatchObject({
      time: '2026-11-20T09:59:59.999Z',
      samples: [{ name: 'g', value: 7 }],
    });
  });

  it('should map a summary to count, sum and quantile series', () => {
    const summary = {
      dataPoints: [
        {
          timeUnixNano: time,
          count: '10',
          sum: 4.5,
          quantileValues: [
            { quantile: 0.5, value: 300 },
            { quantile: 0.99, value: 900 },
          ],
          attributes: [{ key: 'route', value: { stringValue: '/' } }],
        },
      ],
    };
    const { reports } = normalise(request([{ name: 'rpc.duration', unit: 'ms', summary }]));
    expect(reports[0]!.samples).toEqual(
      expect.arrayContaining([
        { name: 'rpc.duration.count', value: 10, labels: { route: '/' } },
        { name: 'rpc.duration.sum', value: 0.0045, labels: { route: '/', unit: 's' } },
        { name: 'rpc.duration', value: 0.3, labels: { route: '/', unit: 's', quantile: '0.5' } },
        { name: 'rpc.duration', value: 0.9, labels: { route: '/', unit: 's', quantile: '0.99' } },
      ]),
    );
  });

  it('should stringify attribute values of every kind', () => {
    const attributes = [
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '9007199254740993' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 2 }] } } },
      { key: 'k', value: { kvlistValue: { values: [{ key: 'z', value: { boolValue: false } }] } } },
      { key: 'y', value: { bytesValue: 'AQI=' } },
      { key: 'e' },
    ];
    const { reports } = normalise(
      request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 1, attributes }] } }]),
    );
    expect(reports[0]!.samples[0]!.labels).toEqual({
      b: 'true',
      i: '9007199254740993',
      d: '1.5',
      a: '["x",2]',
      k: '{"z":false}',
      y: 'AQI=',
      e: '',
    });
  });

  it('should drop and count NaN, points without value and points flagged as having none', () => {
    const points = [
      { timeUnixNano: time, asDouble: 'NaN' },
      { timeUnixNano: time, asDouble: 'Infinity' },
      { timeUnixNano: time },
      { timeUnixNano: time, asDouble: 1, flags: 1 },
      { timeUnixNano: time, asDouble: 2 },
    ];
    const { reports, dropped } = normalise(
      request([
        { name: 'g', gauge: { dataPoints: points } },
        { name: '', sum: { dataPoints: points } },
      ]),
    );
    expect(reports[0]!.samples).toEqual([{ name: 'g', value: 2 }]);
    expect(dropped).toEqual({ nonFinite: 4, invalidName: 5, unsupported: 0 });
  });

  it('should use the time of receipt when a point has no timestamp', () => {
    const { reports } = normalise(request([{ name: 'g', gauge: { dataPoints: [{ asDouble: 1 }] } }]));
    expect(reports[0]!.time).toBe(receivedAt.toISOString());
  });

  it.each([
    ['1970', '1000', /older than the retention of 7 days$/],
    ['2100', '4102444800000000000', /too far in the future/],
  ])('should refuse a timestamp of %s naming the data point', (_year, timeUnixNano, message) => {
    const body = request([
      { name: 'g', sum: { dataPoints: [{ asDouble: 1 }, { timeUnixNano, asDouble: 1 }] } },
    ]);
    const error = refusal(body);
    const field = 'resourceMetrics.0.scopeMetrics.0.metrics.0.sum.dataPoints.1';
    expect(error.extra).toEqual({ field });
    expect(error.detail).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: timestamp`));
    expect(error.detail).toMatch(message);
  });

  it('should refuse 10,000 attributes on a point without crashing', () => {
    const attributes = Array.from({ length: 10_000 }, (_, index) => ({
      key: `k${index}`,
      value: { stringValue: 'v' },
    }));
    const body = request([{ name: 'g', gauge: { dataPoints: [{ asDouble: 1, attributes }] } }]);
    expect(refusal(body).detail).toBe(
      'resourceMetrics.0.scopeMetrics.0.metrics.0.gauge.dataPoints.0: more than 32 labels',
    );
  });

  it('should refuse a histogram whose bucket counts do not match its bounds', () => {
    const histogram = { dataPoints: [{ count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2, 3] }] };
    expect(refusal(request([{ name: 'h', histogram }])).detail).toMatch(
      /histogram\.dataPoints\.0: 2 bucket counts for 3 explicit bounds/,
    );
  });

  it.each([
    ['invalid JSON', '{"resourceMetrics": ['],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['a wrongly typed field', '{"resourceMetrics": {"resource": 1}}'],
    ['a null resource entry', '{"resourceMetrics": [null]}'],
    ['bad base64 bytes', JSON.stringify(request([], [{ key: 'host.name', value: { bytesValue: '%%%' } }]))],
  ])('should refuse %s with a 400', (_case, body) => {
    expect(refusal(body).status).toBe(400);
  });
});
