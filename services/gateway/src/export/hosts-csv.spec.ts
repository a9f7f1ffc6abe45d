import { HOSTS_CSV_HEADER, hostsCsv, hostsCsvRowMapper } from './hosts-csv';

/** The columns `rpc.ingest.hosts.exportRows` sends today (services/ingest EXPORT_COLUMNS). */
const RPC_COLUMNS = [
  'id',
  'name',
  'status',
  'tags',
  'description',
  'source',
  'first_seen',
  'last_seen',
  'interval_seconds',
  'series_count',
  'os',
  'kernel',
];

function rpcRow(overrides: Record<string, string> = {}): string[] {
  const row: Record<string, string> = {
    id: 'host-1',
    name: 'web-01',
    status: 'online',
    tags: 'prod;eu',
    description: '',
    source: 'agent',
    first_seen: '2026-11-01T00:00:00.000Z',
    last_seen: '2026-11-20T10:00:00.000Z',
    interval_seconds: '10',
    series_count: '52',
    os: 'Debian 12',
    kernel: '6.1.0',
    ...overrides,
  };
  return RPC_COLUMNS.map((column) => row[column]);
}

async function* pagesOf(...pages: string[][][]) {
  for (const rows of pages) yield { columns: RPC_COLUMNS, rows };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('hosts CSV', () => {
  it('should fix the column order of GET /api/v1/hosts/export.csv', () => {
    expect(HOSTS_CSV_HEADER).toEqual([
      'id',
      'name',
      'status',
      'tags',
      'description',
      'os',
      'kernel',
      'last_seen',
      'first_seen',
      'source',
      'interval_seconds',
      'series_count',
    ]);
  });

  it('should map rpc rows by column name with numbers as numbers', () => {
    const toValues = hostsCsvRowMapper([...RPC_COLUMNS].reverse());

    expect(toValues(rpcRow().reverse())).toEqual([
      'host-1',
      'web-01',
      'online',
      'prod;eu',
      '',
      'Debian 12',
      '6.1.0',
      '2026-11-20T10:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      'agent',
      10,
      52,
    ]);
  });

  it('should refuse rpc columns that lack one the CSV needs', () => {
    expect(() => hostsCsvRowMapper(RPC_COLUMNS.filter((column) => column !== 'os'))).toThrow(/os column/);
  });

  it('should stream the header and every page as RFC 4180 with formulas neutralised', async () => {
    const csv = await text(
      hostsCsv(
        pagesOf(
          [rpcRow(), rpcRow({ id: 'host-2', name: '=cmd|"/C calc"!A0', description: 'line 1\nline, 2' })],
          [],
          [rpcRow({ id: 'host-3', tags: '-rm;@evil', interval_seconds: '-5' })],
        ),
      ),
    );

    expect(csv.split('\r\n')).toEqual([
      'id,name,status,tags,description,os,kernel,last_seen,first_seen,source,interval_seconds,series_count',
      'host-1,web-01,online,prod;eu,,Debian 12,6.1.0,2026-11-20T10:00:00.000Z,2026-11-01T00:00:00.000Z,agent,10,52',
      'host-2,"\'=cmd|""/C calc""!A0",online,prod;eu,"line 1\nline, 2",Debian 12,6.1.0,2026-11-20T10:00:00.000Z,2026-11-01T00:00:00.000Z,agent,10,52',
      "host-3,web-01,online,'-rm;@evil,,Debian 12,6.1.0,2026-11-20T10:00:00.000Z,2026-11-01T00:00:00.000Z,agent,-5,52",
      '',
    ]);
  });

  it('should answer the header alone when there are no hosts', async () => {
    await expect(text(hostsCsv(pagesOf([])))).resolves.toBe(`${HOSTS_CSV_HEADER.join(',')}\r\n`);
  });
});
