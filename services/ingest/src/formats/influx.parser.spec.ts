import { IntakeError } from '../intake/intake.errors';
import { parseLineProtocol, type LinePoint } from './influx.parser';

interface Parsed {
  line: number;
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | string>;
  timestamp?: string;
}

function parse(body: string): Parsed[] {
  const points: Parsed[] = [];
  parseLineProtocol(body, (point: LinePoint) => {
    const tags = Object.fromEntries(point.tagKeys.map((key, index) => [key, point.tagValues[index]!]));
    const fields = Object.fromEntries(point.fieldKeys.map((key, index) => [key, point.fieldValues[index]!]));
    const parsed: Parsed = { line: point.line, measurement: point.measurement, tags, fields };
    if (point.timestamp !== undefined) parsed.timestamp = point.timestamp;
    points.push(parsed);
  });
  return points;
}

function failure(body: string): IntakeError {
  try {
    parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(IntakeError);
    return error as IntakeError;
  }
  throw new Error('expected a refusal');
}

describe(parseLineProtocol.name, () => {
  it('should read measurement, tags, fields and timestamp when the line is complete', () => {
    expect(
      parse('cpu,host=web-01,cpu=cpu0 usage_user=12.5,count=3i,free=4u,up=t 1700000000000000000'),
    ).toEqual([
      {
        line: 1,
        measurement: 'cpu',
        tags: { host: 'web-01', cpu: 'cpu0' },
        fields: { usage_user: 12.5, count: 3, free: 4, up: 1 },
        timestamp: '1700000000000000000',
      },
    ]);
  });

  it('should undo escapes in measurement, tag keys, tag values and field keys', () => {
    const [point] = parse('disk\\ io\\,x,mount\\ point=C:\\dir,path=a\\=b\\,c re\\ad\\ bytes=1 1');
    expect(point).toMatchObject({
      measurement: 'disk io,x',
      tags: { 'mount point': 'C:\\dir', path: 'a=b,c' },
      fields: { 're\\ad bytes': 1 },
    });
  });

  it('should keep "=" in a measurement and a backslash that escapes nothing', () => {
    expect(parse('a=b\\x v=1')[0]!.measurement).toBe('a=b\\x');
  });

  it('should undo escaped quotes, backslashes and newlines in string values', () => {
    const [point] = parse('log,host=h msg="he said \\"hi\\" \\\\ C:\\\\dir\\nnext",other="a,b c=d"');
    expect(point!.fields).toEqual({ msg: 'he said "hi" \\ C:\\dir\nnext', other: 'a,b c=d' });
  });

  it('should count lines across comments, blank lines, CRLF and multi-line strings', () => {
    const body = '# comment\r\n\r\n  m v=1\r\n  # indented comment\nm s="two\nlines"\n\nm v=3 5\n';
    expect(parse(body).map((point) => [point.line, point.timestamp])).toEqual([
      [3, undefined],
      [5, undefined],
      [8, '5'],
    ]);
  });

  it.each([
    ['t', 1],
    ['T', 1],
    ['true', 1],
    ['True', 1],
    ['TRUE', 1],
    ['f', 0],
    ['F', 0],
    ['false', 0],
    ['False', 0],
    ['FALSE', 0],
    ['-1.5e3', -1500],
    ['.5', 0.5],
    ['1.', 1],
    ['-7i', -7],
    ['1E+2', 100],
    ['-9223372036854775808i', -(2 ** 63)],
    ['18446744073709551615u', 2 ** 64],
  ])('should read %j as %d', (text, value) => {
    expect(parse(`m v=${text}`)[0]!.fields.v).toBe(value);
  });

  it('should accept several spaces before fields and timestamp and trailing spaces', () => {
    expect(parse('m,t=1   v=1   42   ')[0]).toMatchObject({ timestamp: '42', fields: { v: 1 } });
  });

  it('should return nothing when the body is empty or only comments', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\n\n# nothing\n   \n')).toEqual([]);
  });

  it.each([
    ['m,host=a usage', 'expected "=" after field key "usage"'],
    ['m,host=a usage=', 'missing value for field "usage"'],
    ['m,host', 'expected "=" after tag key "host"'],
    ['m,host= v=1', 'missing value for tag "host"'],
    ['m,=a v=1', 'missing tag key after ","'],
    ['m,host=a', 'missing fields: a point needs at least one field'],
    ['m ', 'missing fields: a point needs at least one field'],
    [',host=a v=1', 'missing measurement'],
    ['m v=1,', 'missing field key'],
    ['m v=abc', 'invalid value "abc" for field "v"'],
    ['m v=NaN', 'invalid value "NaN" for field "v"'],
    ['m v=0x10', 'invalid value "0x10" for field "v"'],
    ['m v=1.5i', 'invalid value "1.5i" for field "v"'],
    ['m v=-1u', 'invalid value "-1u" for field "v"'],
    ['m v=9223372036854775808i', 'value "9223372036854775808i" of field "v" is out of range'],
    ['m v=-9223372036854775809i', 'value "-9223372036854775809i" of field "v" is out of range'],
    ['m v=18446744073709551616u', 'value "18446744073709551616u" of field "v" is out of range'],
    ['m v="open', 'unterminated string value for field "v"'],
    ['m v="a"b', 'unexpected "b" after the fields'],
    ['m v=1 12a', 'invalid timestamp "12a"'],
    ['m v=1 123456789012345678901', 'invalid timestamp "123456789012345678901"'],
    ['m v=1 1 2', 'unexpected text after the timestamp'],
    ['m,a=b=c v=1', 'unexpected "=" in tag set of measurement "m"'],
    ['m v=1\rx v=2', 'carriage return without a line feed after the point'],
  ])('should name line 3 when the third line is %j', (line, message) => {
    const error = failure(`m v=1\n# fine\n${line}\nm v=2`);
    expect(error.status).toBe(400);
    expect(error.detail).toBe(`line 3: ${message}`);
    expect(error.extra).toEqual({ line: 3 });
  });

  it('should cut long keys short when it quotes them in a message', () => {
    expect(failure(`m ${'k'.repeat(10_000)}`).detail).toBe(
      `line 1: expected "=" after field key "${'k'.repeat(64)}…"`,
    );
  });
});
