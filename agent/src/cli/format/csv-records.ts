/**
 * Splits RFC 4180 text into records as it arrives, chunk by chunk: quoted fields may hold commas,
 * doubled quotes and line breaks; records end in CRLF (a bare LF is accepted too).
 */
export class CsvRecordReader {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  private quoteJustClosed = false;
  private afterCarriageReturn = false;
  private started = false;

  push(text: string): string[][] {
    const done: string[][] = [];
    for (const character of text) {
      if (this.afterCarriageReturn) {
        this.afterCarriageReturn = false;
        if (character === '\n') continue;
      }
      if (this.quoted) {
        if (character === '"') {
          this.quoted = false;
          this.quoteJustClosed = true;
        } else {
          this.field += character;
        }
        continue;
      }
      if (character === '"') {
        if (this.quoteJustClosed) this.field += '"';
        this.quoted = true;
        this.quoteJustClosed = false;
        this.started = true;
        continue;
      }
      this.quoteJustClosed = false;
      if (character === ',') {
        this.record.push(this.field);
        this.field = '';
        this.started = true;
      } else if (character === '\r' || character === '\n') {
        this.afterCarriageReturn = character === '\r';
        done.push(this.finishRecord());
      } else {
        this.field += character;
        this.started = true;
      }
    }
    return done;
  }

  /** The last record when the text did not end with a line break. */
  end(): string[][] {
    return this.started || this.record.length > 0 ? [this.finishRecord()] : [];
  }

  private finishRecord(): string[] {
    this.record.push(this.field);
    const record = this.record;
    this.record = [];
    this.field = '';
    this.started = false;
    this.quoteJustClosed = false;
    return record;
  }
}

/** The gateway writes a leading `'` before text a spreadsheet would take for a formula; people want it back. */
export function withoutFormulaGuard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
