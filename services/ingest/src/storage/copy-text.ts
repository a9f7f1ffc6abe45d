/** One row of `ingest.samples` before its batch id is known. */
export interface SampleRow {
  hostKey: number;
  /** ISO 8601 with only `0-9 T : . + - Z`, so it needs no escaping in COPY text. */
  time: string;
  setId: number;
  values: number[];
}

/**
 * COPY text format (tab-separated, newline-terminated) of `(host_key, time, set_id, values)`. Every field is
 * a number, an ISO time or an array of finite numbers, so nothing needs escaping; labels and names never
 * travel through COPY (they are bound parameters of the dictionary statements).
 */
export function encodeSampleRows(rows: SampleRow[]): string {
  const lines = new Array<string>(rows.length + 1);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    lines[index] = `${row.hostKey}\t${row.time}\t${row.setId}\t{${row.values.join(',')}}`;
  }
  lines[rows.length] = '';
  return lines.join('\n');
}
