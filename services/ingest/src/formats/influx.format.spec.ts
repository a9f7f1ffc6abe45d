import { Point } from '@influxdata/influxdb-client';
import { MetricsReport } from '@optralis/contracts';

import { IntakeError } from '../intake/intake.errors';
import { normaliseInfluxLineProtocol } from './influx.format';
import type { NormaliseContext } from './normalise';

const receivedAt = new Date('2026-11-20T10:00:00.000Z');
const context: NormaliseContext = {
  tenantId: 'default',
  receivedAt,
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
};
const seconds = Math.floor(receivedAt.getTime() / 1000) - 10;

function lines(...points: Point[]): string {
  return points.map((point) => point.toLineProtocol()).join('\n');
}

function refusal(body: string, precision: 'ns' | 'us' | 'ms' | 's' = 's'): IntakeError {
  try {
    normaliseInfluxLineProtocol(body, precision, context);
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

describe(normaliseInfluxLineProtocol.name, () => {
  it('should turn points written by the Influx client into one report per host and time', () => {
    const body = lines(
      new Point('cpu')
        .tag('host', 'web-01.example.com')
        .tag('cpu', 'cpu-total')
        .floatField('usage_user', 12.5)
        .intField('processes', 312)
        .uintField('free', 7)
        .booleanField('online', true)
        .timestamp(seconds),
      new Point('disk io,x')
        .tag('host', 'web-01.example.com')
        .tag('mount point', 'C:\\data,=x')
        .floatField('read bytes', 1024)
        .stringField('model', 'Samsung "EVO" \\ 1TB')
        .timestamp(seconds),
      new Point('cpu').tag('host', 'db 01').floatField('usage_user', 3).timestamp(seconds),
    );

    const { reports, dropped } = normaliseInfluxLineProtocol(body, 's', context);

    expect(dropped).toEqual({ nonFinite: 0, invalidName: 0, unsupported: 0 });
    expect(reports).toHaveLength(2);
    const [web, db] = reports;
    expect(web).toMatchObject({
      tenantId: 'default',
      hostId: 'web-01_example_com',
      hostName: 'web-01.example.com',
      source: 'influx',
      time: '2026-11-20T09:59:50.000Z',
      receivedAt: '2026-11-20T10:00:00.000Z',
      inventory: { 'disk io,x.model': 'Samsung "EVO" \\ 1TB' },
    });
    expect(web!.samples).toEqual(
      expect.arrayContaining([
        { name: 'cpu.usage_user', value: 12.5, labels: { cpu: 'cpu-total' } },
        { name: 'cpu.processes', value: 312, labels: { cpu: 'cpu-total' } },
        { name: 'cpu.free', value: 7, labels: { cpu: 'cpu-total' } },
        { name: 'cpu.online', value: 1, labels: { cpu: 'cpu-total' } },
        { name: 'disk_io_x.read_bytes', value: 1024, labels: { 'mount point': 'C:\\data,=x' } },
      ]),
    );
    expect(web!.samples).toHaveLength(5);
    expect(web!.id).toMatch(/^influx:[0-9a-f]{64}$/);
    expect(db).toMatchObject({
      hostId: 'db_01',
      hostName: 'db 01',
      samples: [{ name: 'cpu.usage_user', value: 3 }],
    });
    for (const report of reports) expect(MetricsReport.safeParse(report).success).toBe(true);
  });

  it('should give the same ids when the same payload is sent twice', () => {
    const body = lines(new Point('mem').tag('host', 'h').floatField('used', 1).timestamp(seconds));
    const first = normaliseInfluxLineProtocol(body, 's', context).reports.map((report) => report.id);
    const second = normaliseInfluxLineProtocol(body, 's', {
      ...context,
      receivedAt: new Date(receivedAt.getTime() + 1000),
    });
    expect(second.reports.map((report) => report.id)).toEqual(first);
  });

  it.each([
    ['ns', '1795168790123456789'],
    ['us', '1795168790123456'],
    ['ms', '1795168790123'],
    ['s', '1795168790'],
  ] as const)('should read the timestamp in %s precision', (precision, timestamp) => {
    const report = normaliseInfluxLineProtocol(`m,host=h v=1 ${timestamp}`, precision, context).reports[0]!;
    expect(report.time).toBe(precision === 's' ? '2026-11-20T09:59:50.000Z' : '2026-11-20T09:59:50.123Z');
  });

  it('should use the time of receipt when a line has no timestamp', () => {
    expect(normaliseInfluxLineProtocol('m,host=h v=1\r\n', 'ns', context).reports[0]!.time).toBe(
      receivedAt.toISOString(),
    );
  });

  it('should drop and count values that overflow to Infinity and names that stay invalid', () => {
    const body = `m,host=h big=1e999,ok=1,${'f'.repeat(300)}=2 ${seconds}`;
    const { reports, dropped } = normaliseInfluxLineProtocol(body, 's', context);
    expect(reports[0]!.samples).toEqual([{ name: 'm.ok', value: 1 }]);
    expect(dropped).toEqual({ nonFinite: 1, invalidName: 1, unsupported: 0 });
  });

  it('should refuse a point without a host tag naming its line', () => {
    const error = refusal(`m,host=a v=1 ${seconds}\ncpu,region=eu v=1 ${seconds}`);
    expect(error.detail).toBe('line 2: missing tag "host", which names the host');
    expect(error.extra).toEqual({ line: 2 });
  });

  it('should refuse a timestamp of 1970 or 2100 naming its line', () => {
    expect(refusal('m,host=h v=1 0').detail).toBe(
      'line 1: timestamp 1970-01-01T00:00:00.000Z is older than the retention of 7 days',
    );
    expect(refusal('\nm,host=h v=1 4102444800').detail).toBe(
      'line 2: timestamp 2100-01-01T00:00:00.000Z is too far in the future (more than 600 s ahead)',
    );
  });

  it('should refuse more than 32 labels without crashing when a line has 10,000 tags', () => {
    const tags = Array.from({ length: 10_000 }, (_, index) => `t${index}=v`).join(',');
    expect(refusal(`m,host=h,${tags} v=1`).detail).toBe('line 1: more than 32 labels');
  });

  it('should refuse a tag value over 1024 characters', () => {
    expect(refusal(`m,host=h,k=${'v'.repeat(1025)} v=1`).detail).toBe(
      'line 1: value of label "k" is longer than 1024 characters',
    );
  });

  it('should make reports of at most 10,000 samples when one host sends more at one time', () => {
    const body = Array.from(
      { length: 10_500 },
      (_, index) => `m,host=h,i=${index} v=${index} ${seconds}`,
    ).join('\n');
    const { reports } = normaliseInfluxLineProtocol(body, 's', context);
    expect(reports.map((report) => report.samples.length)).toEqual([10_000, 500]);
    expect(new Set(reports.map((report) => report.id)).size).toBe(2);
  });

  it('should return no report when the body is empty', () => {
    expect(normaliseInfluxLineProtocol('', 'ns', context).reports).toEqual([]);
  });
});
