import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { expectEventually } from '@optralis/testing';

import { type AgentPlatform, startAgentPlatform } from './platform';

const AGENT_ROOT = resolve(__dirname, '..');
const CLI = join(AGENT_ROOT, 'dist', 'src', 'cli', 'main.js');
const HOSTILE_NAME = 'evil\x1b[31mRED\x1b]0;pwned\x07\u009b2J';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as compiled; other parts of the agent may not compile mid-change, the CLI must. */
function buildCli(): void {
  const build = spawnSync(
    join(AGENT_ROOT, '..', 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json'],
    {
      cwd: AGENT_ROOT,
      encoding: 'utf8',
    },
  );
  const cliErrors = build.stdout.split('\n').filter((line) => line.startsWith('src/cli/'));
  if (build.status !== 0 && (cliErrors.length > 0 || build.stdout.trim() === '')) {
    throw new Error(`the CLI does not compile:\n${build.stdout}${build.stderr}`);
  }
}

describe('optralis (the CLI) against the real platform', () => {
  let platform: AgentPlatform;
  let home: string;
  const webId = randomUUID();
  const hostileId = randomUUID();

  function cli(args: string[], token = platform.apiToken): Promise<CliRun> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          OPTRALIS_SERVER: platform.gatewayUrl,
          OPTRALIS_TOKEN: token,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', fail);
      child.once('close', (code) => done({ code, stdout, stderr }));
    });
  }

  async function report(input: { id: string; name: string; seq: number; secondsAgo: number; cpu: number }) {
    const answer = await fetch(`${platform.ingestUrl}/v1/agent/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        host: { id: input.id, name: input.name, tags: ['prod', 'web'] },
        seq: input.seq,
        time: new Date(Date.now() - input.secondsAgo * 1000).toISOString(),
        metrics: [
          { name: 'cpu.usage_pct', value: input.cpu },
          { name: 'memory.used_bytes', value: 2 * 1024 ** 3 },
        ],
        inventory: { os: 'Debian 12', kernel: '6.1.0' },
      }),
    });
    expect(answer.status, await answer.text()).toBe(202);
  }

  beforeAll(async () => {
    buildCli();
    home = mkdtempSync(join(tmpdir(), 'optralis-cli-home-'));
    platform = await startAgentPlatform({ alerting: true });
    const rule = await fetch(`${platform.gatewayUrl}/api/v1/alert-rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'cpu high',
        kind: 'threshold',
        metric: 'cpu.usage_pct',
        operator: '>',
        warning: 80,
        critical: 90,
        forSeconds: 0,
      }),
    });
    expect(rule.status, await rule.text()).toBe(201);
    for (const [index, cpu] of [10, 20, 40, 30, 97.5].entries()) {
      await report({ id: webId, name: 'web-01', seq: index + 1, secondsAgo: 50 - index * 10, cpu });
    }
    await report({ id: hostileId, name: HOSTILE_NAME, seq: 1, secondsAgo: 5, cpu: 1 });
  }, 180_000);

  afterAll(async () => {
    await platform?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('should list both hosts as JSON when asked with --json', async () => {
    const hosts = await expectEventually(async () => {
      const run = await cli(['hosts', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const parsed = JSON.parse(run.stdout) as { id: string; name: string; status: string; tags: string[] }[];
      expect(parsed.map((host) => host.id).sort()).toEqual([webId, hostileId].sort());
      return parsed;
    });
    expect(hosts.find((host) => host.id === webId)).toMatchObject({ name: 'web-01', tags: ['prod', 'web'] });
    expect(hosts.find((host) => host.id === hostileId)?.name).toBe(HOSTILE_NAME);
  });

  it('should print a table with the OS and no live escape sequences when hosts are listed', async () => {
    const run = await cli(['hosts']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`${webId}\\s+web-01\\s+(online|offline)\\s+(just now|\\S+ ago)\\s+prod, web\\s+Debian 12`),
    );
    expect(run.stdout).toContain('evil\\x1b[31mRED\\x1b]0;pwned\\x07\\x9b2J');
    for (const unsafe of ['\x1b', '\x07', '\u009b']) expect(run.stdout).not.toContain(unsafe);
  });

  it('should draw the raw CPU history of a host named by its name', async () => {
    const run = await expectEventually(async () => {
      const attempt = await cli(['history', 'web-01', 'cpu.usage_pct', '--since', '1h']);
      expect(attempt.code, attempt.stderr).toBe(0);
      expect(attempt.stdout).toContain('(5 points,');
      return attempt;
    });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('web-01 · last 1h · 5s steps (raw)');
    expect(lines[1]).toBe('cpu.usage_pct');
    expect(lines[2]).toMatch(/^[▁▂▃▄▅▆▇█]{5}$/);
    expect(lines[2].endsWith('█')).toBe(true);
    expect(lines[3]).toMatch(
      /^min 10\.0% {3}avg 39\.5% {3}max 97\.5% {3}last 97\.5% {3}\(5 points, last \d+s ago\)$/,
    );
  });

  it('should list the firing alert when the last report crossed the critical level', async () => {
    const alerts = await expectEventually(async () => {
      const run = await cli(['alerts', '--json', '--state', 'firing']);
      expect(run.code, run.stderr).toBe(0);
      const parsed = JSON.parse(run.stdout) as { hostId: string; severity: string; value: number }[];
      expect(parsed).toHaveLength(1);
      return parsed;
    });
    expect(alerts[0]).toMatchObject({ hostId: webId, severity: 'critical', value: 97.5 });
  });

  it('should write the hosts CSV to a file and report its rows on stderr when --progress is given', async () => {
    const output = join(home, 'hosts.csv');
    const run = await cli(['export', 'csv', '--output', output, '--progress']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`exported \\d+ B, 2 rows to ${output}`));
    const lines = readFileSync(output, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'id,name,status,tags,description,os,kernel,last_seen,first_seen,source,interval_seconds,series_count',
    );
    expect(lines.filter((line) => line.startsWith(`${webId},web-01,`))).toHaveLength(1);
  });

  it('should exit 3 without printing the token when the token is wrong', async () => {
    const token = 'opt_api_abcdefgh_0000000000000000000000000000000000000000000000';
    const run = await cli(['hosts'], token);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^optralis: Unauthorized: /);
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('should exit 5 while ingest is down and see new reports once it is back on the same address', async () => {
    const ingestUrl = platform.ingestUrl;
    await platform.stopIngest();
    const down = await cli(['history', 'web-01', 'cpu.usage_pct']);
    expect(down.code, down.stderr).toBe(5);

    await platform.startIngest();
    expect(platform.ingestUrl).toBe(ingestUrl);
    await report({ id: webId, name: 'web-01', seq: 6, secondsAgo: 1, cpu: 55 });
    await expectEventually(async () => {
      const run = await cli(['history', webId, 'cpu.usage_pct', '--since', '15m']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('last 55.0%');
    });
  }, 90_000);
});
