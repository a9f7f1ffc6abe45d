import { CsvRecordReader, withoutFormulaGuard } from '../format/csv-records';
import type { GatewayClient, Query } from '../gateway-client';

/**
 * The `os` of each host, read from the CSV export: the host list carries no inventory, and one
 * export is cheaper than a request per host. The export comes in the list's order (name, then id),
 * so reading stops as soon as every wanted host was seen.
 */
export async function operatingSystems(input: {
  client: GatewayClient;
  filters: Query;
  hostIds: readonly string[];
}): Promise<Map<string, string>> {
  const wanted = new Set(input.hostIds);
  const found = new Map<string, string>();
  const reader = new CsvRecordReader();
  const decoder = new TextDecoder();
  let columns: { id: number; os: number } | undefined;
  const take = (record: string[]): boolean => {
    if (!columns) {
      columns = { id: record.indexOf('id'), os: record.indexOf('os') };
      return columns.id < 0 || columns.os < 0;
    }
    const id = withoutFormulaGuard(record[columns.id] ?? '');
    if (wanted.has(id)) found.set(id, withoutFormulaGuard(record[columns.os] ?? ''));
    return found.size === wanted.size;
  };
  if (wanted.size === 0) return found;
  for await (const chunk of input.client.download('api/v1/hosts/export.csv', input.filters, 'text/csv')) {
    for (const record of reader.push(decoder.decode(chunk, { stream: true }))) {
      if (take(record)) return found;
    }
  }
  for (const record of reader.push(decoder.decode()).concat(reader.end())) take(record);
  return found;
}
