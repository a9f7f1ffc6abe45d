/** RFC 4180 text with a header row (RFC 7111 registers the `header` parameter). */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export type CsvValue = string | number | boolean | Date | null | undefined;

/** First characters a spreadsheet reads as the start of a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: a spreadsheet reads `-5` as minus five, never as a formula. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text a spreadsheet shows as text: a leading `'` before anything it would evaluate as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !DECIMAL.test(text) ? `'${text}` : text;
}

/** One field: numbers as numbers, text guarded against formulas, quoted when it holds `"`, `,`, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = neutraliseFormula(value instanceof Date ? value.toISOString() : String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record ending in CRLF, ready to be written to the response. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
