import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ExitCode } from './cli-errors';
import { runCli } from './cli-program';
import { capturedOutput } from './testing/captured-output';
import {
  type FakeAnswer,
  type FakeGateway,
  type FakeRequest,
  problem,
  startFakeGateway,
} from './testing/fake-gateway';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const TOKEN = 'opt_api_test_secret';

function host(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    description: '',
    tags: ['prod'],
    status: 'online',
    source: 'agent',
    firstSeen: '2026-11-20T09:00:00.000Z',
    lastSeen: '2026-11-20T09:59:18.000Z',
    statusChangedAt: '2026-11-20T09:00:00.000Z',
    intervalSeconds: 10,
    seriesCount: 3,
    ...extra,
  };
}

const HOSTS = [
  host('h-1', 'db-01'),
  host('h-2', 'evil\x1b[31mRED\x1b]0;pwned\x07', { tags: ['x\u202eevil'] }),
  host('h-3', 'web-01'),
  host('h-4', 'web-01'),
];
const CSV =
  'id,name,status,tags,description,os,kernel\r\nh-1,db-01,online,prod,,Debian 12,6.1\r\nh-2,evil\x1b[31m,online,,,"\'=cmd|calc",\r\nh-3,web-01,online,,,Alpine,\r\nh-4,web-01,online,,,Ubuntu,\r\n';

function platformRoutes(request: FakeRequest): FakeAnswer {
  if (request.headers.authorization !== `Bearer ${TOKEN}`) return problem(401, 'Unauthorized', 'bad token');
  if (request.path === '/api/v1/hosts') {
    const q = request.query.get('q');
    return {
      body: { items: HOSTS.filter((each) => !q || each.name.includes(q) || each.id === q), nextCursor: null },
    };
  }
  if (request.path === '/api/v1/hosts/export.csv') return { chunks: [CSV.slice(0, 50), CSV.slice(50)] };
  if (request.path === '/api/v1/hosts/h-1/metrics') {
    return {
      body: {
        resolution: 'raw',
        stepSeconds: 5,
        from: '2026-11-20T09:00:00.000Z',
        to: '2026-11-20T10:00:00.000Z',
        series: ['/', '/data'].map((mount, index) => ({
          name: 'disk.used_pct',
          labels: { mount },
          points: [
            ['2026-11-20T09:59:00.000Z', 10 + index],
            ['2026-11-20T09:59:30.000Z', 30 + index],
          ],
        })),
      },
    };
  }
  if (request.path === '/api/v1/alerts') return { body: { items: [], nextCursor: null } };
  return problem(404, 'Not found', `no route ${request.path}`);
}

describe(runCli.name, () => {
  let gateway: FakeGateway;
  let directory: string;

  beforeAll(async () => {
    gateway = await startFakeGateway(platformRoutes);
  });

  afterAll(async () => {
    await gateway.close();
  });

  beforeEach(() => {
    gateway.requests.length = 0;
    directory = mkdtempSync(join(tmpdir(), 'optralis-cli-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  async function run(argv: string[], options: { token?: string; stdoutIsTTY?: boolean } = {}) {
    const stdout = capturedOutput({ isTTY: options.stdoutIsTTY, columns: 40 });
    const stderr = capturedOutput();
    const code = await runCli(argv, {
      environment: { OPTRALIS_SERVER: gateway.url, OPTRALIS_TOKEN: options.token ?? TOKEN },
      stdout,
      stderr,
      now: () => NOW,
      configFile: join(directory, 'missing.json'),
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('should print a table with neutralised names and the OS from the export when hosts are listed', async () => {
    const sut = await run(['hosts']);
    expect(sut.code).toBe(ExitCode.Ok);
    for (const unsafe of ['\x1b', '\x07', '\u202e']) expect(sut.stdout).not.toContain(unsafe);
    expect(sut.stdout).toContain('evil\\x1b[31mRED\\x1b]0;pwned\\x07');
    expect(sut.stdout).toContain('x\\u202eevil');
    expect(sut.stdout).toMatch(/h-1\s+db-01\s+online\s+42s ago\s+prod\s+Debian 12/);
    expect(sut.stdout).toMatch(/h-2 .* =cmd\|calc/);
    expect(sut.stderr).toBe('');
  });

  it('should print the hosts as JSON with the filters passed on when --json is given', async () => {
    const sut = await run(['hosts', '--json', '--status', 'online', '--tag', 'prod', '--search', 'web']);
    expect(JSON.parse(sut.stdout)).toEqual(HOSTS.filter((each) => each.name.includes('web')));
    expect(gateway.requests[0].query.toString()).toBe('q=web&status=online&tag=prod&limit=500');
  });

  it('should list the candidates and exit 2 when a host name is ambiguous', async () => {
    const sut = await run(['history', 'web-01', 'cpu.usage_pct']);
    expect(sut.code).toBe(ExitCode.Usage);
    expect(sut.stderr).toContain('2 hosts are named "web-01": web-01 (h-3), web-01 (h-4)');
  });

  it('should exit 4 when no host has the name', async () => {
    expect((await run(['history', 'nope', 'cpu.usage_pct'])).code).toBe(ExitCode.NotFound);
  });

  it('should draw the series of the label asked for when history is asked by host name', async () => {
    const sut = await run(['history', 'db-01', 'disk.used_pct', '--since', '1h', '--label', 'mount=/data']);
    expect(sut.code).toBe(ExitCode.Ok);
    expect(sut.stdout).toBe(
      'db-01 · last 1h · 5s steps (raw)\n' +
        'disk.used_pct{mount="/data"}\n' +
        '▁█\n' +
        'min 11.0%   avg 21.0%   max 31.0%   last 31.0%   (2 points, last 30s ago)\n',
    );
    const query = gateway.requests.at(-1)!.query;
    expect(Object.fromEntries(query)).toEqual({
      name: 'disk.used_pct',
      from: '2026-11-20T09:00:00.000Z',
      to: '2026-11-20T10:00:00.000Z',
    });
  });

  it('should pass the step in seconds when --step is given', async () => {
    await run(['history', 'h-1', 'disk.used_pct', '--step', '5m', '--json']);
    expect(gateway.requests.at(-1)!.query.get('step')).toBe('300');
  });

  it('should be a usage error when a duration or a metric name is malformed', async () => {
    expect((await run(['history', 'h-1', 'disk.used_pct', '--since', '5x'])).code).toBe(ExitCode.Usage);
    expect((await run(['history', 'h-1', 'bad metric'])).code).toBe(ExitCode.Usage);
    expect((await run(['hosts', '--limit', '0'])).code).toBe(ExitCode.Usage);
    expect((await run(['alerts', '--state', 'burning'])).code).toBe(ExitCode.Usage);
    expect(gateway.requests).toHaveLength(0);
  });

  it('should pass the alert filters on when alerts are listed', async () => {
    const sut = await run(['alerts', '--state', 'firing', '--severity', 'critical', '--open', '--json']);
    expect(JSON.parse(sut.stdout)).toEqual([]);
    expect(Object.fromEntries(gateway.requests[0].query)).toEqual({
      state: 'firing',
      severity: 'critical',
      open: 'true',
      limit: '100',
    });
  });

  it('should write the CSV byte for byte and count its rows when exporting to a file', async () => {
    const output = join(directory, 'hosts.csv');
    const sut = await run(['export', 'csv', '--output', output, '--progress']);
    expect(sut.code).toBe(ExitCode.Ok);
    expect(readFileSync(output, 'utf8')).toBe(CSV);
    expect(sut.stderr).toContain(`4 rows to ${output}`);
    expect(sut.stdout).toBe('');
  });

  it('should neutralise escape sequences when the CSV goes to a terminal', async () => {
    const sut = await run(['export', 'csv'], { stdoutIsTTY: true });
    expect(sut.stdout).toContain('h-2,evil\\x1b[31m,online,,,"\'=cmd|calc",\n');
    for (const unsafe of ['\r', '\x1b']) expect(sut.stdout).not.toContain(unsafe);
  });

  it('should exit 3 without creating the file when the token is refused', async () => {
    const output = join(directory, 'hosts.csv');
    const sut = await run(['export', 'csv', '-o', output], { token: 'wrong' });
    expect(sut.code).toBe(ExitCode.Auth);
    expect(sut.stderr).toBe('optralis: Unauthorized: bad token\n');
    expect(existsSync(output)).toBe(false);
  });

  it('should show the help and exit 0 when --help is asked', async () => {
    const sut = await run(['--help']);
    expect(sut.code).toBe(ExitCode.Ok);
    expect(sut.stdout).toContain('Usage: optralis');
  });
});
