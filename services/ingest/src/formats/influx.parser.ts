import { badRequest } from '../intake/intake.errors';
import { fieldNumber, INVALID, isTimestamp, OUT_OF_RANGE } from './influx.values';
import { quote } from './labels';

/** One point of line protocol. The parser reuses the object: read it inside the callback, never keep it. */
export interface LinePoint {
  line: number;
  measurement: string;
  tagKeys: string[];
  tagValues: string[];
  fieldKeys: string[];
  /** Numbers for float, integer, unsigned and boolean (1/0) fields; strings for string fields. */
  fieldValues: (number | string)[];
  /** The digits as written, in the request precision; undefined when the line has none. */
  timestamp: string | undefined;
}

const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;

/** What a backslash may escape, per element (influxdata/line-protocol v2 decoder): other backslashes stay. */
const MEASUREMENT_ESCAPES = ', ';
const KEY_ESCAPES = ',= ';
const STRING_ESCAPES = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/**
 * InfluxDB line protocol: `measurement[,tag=value…] field=value[,field=value…] [timestamp]`, one point per line,
 * `#` comments, blank lines and CRLF allowed. Calls `onPoint` per point; the first error is a 400 naming its line.
 */
export function parseLineProtocol(body: string, onPoint: (point: LinePoint) => void): void {
  new LineParser(body, onPoint).run();
}

class LineParser {
  private index = 0;
  private line = 1;
  private readonly point: LinePoint = {
    line: 0,
    measurement: '',
    tagKeys: [],
    tagValues: [],
    fieldKeys: [],
    fieldValues: [],
    timestamp: undefined,
  };

  constructor(
    private readonly body: string,
    private readonly onPoint: (point: LinePoint) => void,
  ) {}

  run(): void {
    const body = this.body;
    while (this.index < body.length) {
      this.point.line = this.line;
      this.skipBlanks();
      if (this.index >= body.length) break;
      const code = body.charCodeAt(this.index);
      if (code === NEWLINE || code === RETURN) this.endOfLine('a line');
      else if (code === HASH) this.skipComment();
      else this.readPoint();
    }
  }

  private readPoint(): void {
    const point = this.point;
    point.tagKeys.length = 0;
    point.tagValues.length = 0;
    point.fieldKeys.length = 0;
    point.fieldValues.length = 0;
    point.timestamp = undefined;

    point.measurement = this.readEscaped(MEASUREMENT_ESCAPES, false);
    if (point.measurement.length === 0) this.fail('missing measurement');
    while (this.at() === COMMA) {
      this.index++;
      const key = this.readEscaped(KEY_ESCAPES, true);
      if (key.length === 0) this.fail('missing tag key after ","');
      if (this.at() !== EQUALS) this.fail(`expected "=" after tag key ${quote(key)}`);
      this.index++;
      const value = this.readEscaped(KEY_ESCAPES, true);
      if (value.length === 0) this.fail(`missing value for tag ${quote(key)}`);
      point.tagKeys.push(key);
      point.tagValues.push(value);
    }
    const separator = this.at();
    if (separator === EQUALS)
      this.fail(`unexpected "=" in tag set of measurement ${quote(point.measurement)}`);
    if (separator !== SPACE) this.fail('missing fields: a point needs at least one field');
    this.skipSpaces();
    if (this.isEndOfLine()) this.fail('missing fields: a point needs at least one field');
    this.readFields();
    if (this.at() === SPACE) {
      this.skipSpaces();
      if (!this.isEndOfLine()) point.timestamp = this.readTimestamp();
    }
    if (!this.isEndOfLine()) this.fail(`unexpected ${quote(this.body[this.index])} after the fields`);
    this.onPoint(point);
    this.endOfLine('the point');
  }

  private readFields(): void {
    const point = this.point;
    for (;;) {
      const key = this.readEscaped(KEY_ESCAPES, true);
      if (key.length === 0) this.fail('missing field key');
      if (this.at() !== EQUALS) this.fail(`expected "=" after field key ${quote(key)}`);
      this.index++;
      point.fieldKeys.push(key);
      point.fieldValues.push(this.at() === QUOTE ? this.readString(key) : this.readNumber(key));
      if (this.at() !== COMMA) return;
      this.index++;
    }
  }

  /** Up to the next unescaped `,`, space, end of line (and `=` when `stopAtEquals`), unescaping what `escapes` lists. */
  private readEscaped(escapes: string, stopAtEquals: boolean): string {
    const body = this.body;
    const start = this.index;
    let index = start;
    let result: string | undefined;
    let copied = start;
    for (; index < body.length; index++) {
      const code = body.charCodeAt(index);
      if (code === COMMA || code === SPACE || code === NEWLINE || code === RETURN) break;
      if (code === EQUALS && stopAtEquals) break;
      if (code === BACKSLASH && index + 1 < body.length && escapes.includes(body[index + 1])) {
        result = (result ?? '') + body.slice(copied, index) + body[index + 1];
        index++;
        copied = index + 1;
      }
    }
    this.index = index;
    return result === undefined ? body.slice(start, index) : result + body.slice(copied, index);
  }

  private readString(key: string): string {
    const body = this.body;
    let index = this.index + 1;
    let copied = index;
    let result = '';
    for (; index < body.length; index++) {
      const code = body.charCodeAt(index);
      if (code === QUOTE) {
        this.index = index + 1;
        return result + body.slice(copied, index);
      }
      if (code === NEWLINE) this.line++;
      if (code === BACKSLASH && index + 1 < body.length) {
        const escaped = STRING_ESCAPES.get(body[index + 1]);
        if (escaped !== undefined) {
          result += body.slice(copied, index) + escaped;
          index++;
          copied = index + 1;
        }
      }
    }
    return this.fail(`unterminated string value for field ${quote(key)}`);
  }

  private readNumber(key: string): number {
    const token = this.readToken();
    if (token.length === 0) this.fail(`missing value for field ${quote(key)}`);
    const value = fieldNumber(token);
    if (value === INVALID) this.fail(`invalid value ${quote(token)} for field ${quote(key)}`);
    if (value === OUT_OF_RANGE) this.fail(`value ${quote(token)} of field ${quote(key)} is out of range`);
    return value;
  }

  private readTimestamp(): string {
    const token = this.readToken();
    if (!isTimestamp(token)) this.fail(`invalid timestamp ${quote(token)}`);
    this.skipSpaces();
    if (!this.isEndOfLine()) this.fail('unexpected text after the timestamp');
    return token;
  }

  private readToken(): string {
    const body = this.body;
    const start = this.index;
    let index = start;
    for (; index < body.length; index++) {
      const code = body.charCodeAt(index);
      if (code === COMMA || code === SPACE || code === NEWLINE || code === RETURN) break;
    }
    this.index = index;
    return body.slice(start, index);
  }

  private at(): number {
    return this.index < this.body.length ? this.body.charCodeAt(this.index) : -1;
  }

  private isEndOfLine(): boolean {
    const code = this.at();
    return code === -1 || code === NEWLINE || code === RETURN;
  }

  private endOfLine(what: string): void {
    const code = this.at();
    if (code === RETURN) {
      this.index++;
      if (this.at() !== NEWLINE && this.at() !== -1)
        this.fail(`carriage return without a line feed after ${what}`);
    }
    if (this.at() === NEWLINE) {
      this.index++;
      this.line++;
    }
  }

  private skipBlanks(): void {
    let code = this.at();
    while (code === SPACE || code === TAB) {
      this.index++;
      code = this.at();
    }
  }

  private skipSpaces(): void {
    while (this.at() === SPACE) this.index++;
  }

  private skipComment(): void {
    const end = this.body.indexOf('\n', this.index);
    this.index = end === -1 ? this.body.length : end;
    if (this.index > 0 && this.body.charCodeAt(this.index - 1) === RETURN) this.index--;
    this.endOfLine('a comment');
  }

  private fail(message: string): never {
    const line = this.point.line;
    throw badRequest(`line ${line}: ${message}`, { line });
  }
}
