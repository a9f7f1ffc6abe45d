import { type CsvValue, csvRow } from './csv';

/** One page of `rpc.ingest.hosts.exportRows`. */
export interface HostsExportPage {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/**
 * Columns of `GET /api/v1/hosts/export.csv`, in order. Each names the `rpc.ingest.hosts.exportRows`
 * column it comes from; `tags` are `;`-separated, times ISO 8601 UTC.
 */
export const HOSTS_CSV_COLUMNS = [
  { header: 'id', source: 'id', kind: 'text' },
  { header: 'name', source: 'name', kind: 'text' },
  { header: 'status', source: 'status', kind: 'text' },
  { header: 'tags', source: 'tags', kind: 'text' },
  { header: 'description', source: 'description', kind: 'text' },
  { header: 'os', source: 'os', kind: 'text' },
  { header: 'kernel', source: 'kernel', kind: 'text' },
  { header: 'last_seen', source: 'last_seen', kind: 'text' },
  { header: 'first_seen', source: 'first_seen', kind: 'text' },
  { header: 'source', source: 'source', kind: 'text' },
  { header: 'interval_seconds', source: 'interval_seconds', kind: 'number' },
  { header: 'series_count', source: 'series_count', kind: 'number' },
] as const;

export const HOSTS_CSV_HEADER: readonly string[] = HOSTS_CSV_COLUMNS.map((column) => column.header);

/** A number column's text as a number, so it is written unguarded; anything else stays text. */
function numberOrText(text: string): CsvValue {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/**
 * Maps an `exportRows` row (strings in the order of its `columns`) onto `HOSTS_CSV_COLUMNS`. Built once
 * from the first page's `columns`; a column the RPC no longer sends fails here, not in a quiet gap.
 */
export function hostsCsvRowMapper(columns: readonly string[]): (row: readonly string[]) => CsvValue[] {
  const picks = HOSTS_CSV_COLUMNS.map((column) => {
    const index = columns.indexOf(column.source);
    if (index < 0) throw new Error(`rpc.ingest.hosts.exportRows no longer sends the ${column.source} column`);
    return { index, kind: column.kind };
  });
  return (row) =>
    picks.map(({ index, kind }) => {
      const text = row[index] ?? '';
      return kind === 'number' ? numberOrText(text) : text;
    });
}

/** The CSV of `GET /api/v1/hosts/export.csv`: the header row, then each page's rows as they arrive. */
export async function* hostsCsv(pages: AsyncIterable<HostsExportPage>): AsyncGenerator<string> {
  yield csvRow(HOSTS_CSV_HEADER);
  let toValues: ((row: readonly string[]) => CsvValue[]) | undefined;
  for await (const page of pages) {
    toValues ??= hostsCsvRowMapper(page.columns);
    const mapper = toValues;
    if (page.rows.length > 0) yield page.rows.map((row) => csvRow(mapper(row))).join('');
  }
}
