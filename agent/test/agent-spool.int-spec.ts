import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { AgentReport } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { type AgentProcess, startAgentProcess } from '../src/daemon/testing/agent-process';
import { parseRecords } from '../src/spool/spool-record';
import { decodeBody } from '../src/transport/encoded-body';
import { type AgentPlatform, startAgentPlatform } from './platform';
import { rawSeries } from './platform-reads';

const SLOW = { timeoutMs: 120_000, intervalMs: 500 };

/** The values of a metric's raw points: one per report, as reports are more than 1 s apart. */
async function pointsOf(
  platform: AgentPlatform,
  hostId: string,
  name: string,
  since: number,
): Promise<number[]> {
  const { series } = await rawSeries(platform, hostId, name, since);
  return series.flatMap((one) => one.points.map(([, value]) => value));
}

/** The seconds (epoch) holding a stored report of the host. */
async function storedSeconds(platform: AgentPlatform, hostId: string, since: number): Promise<Set<number>> {
  const { series } = await rawSeries(platform, hostId, 'agent.cycle', since);
  return new Set(series.flatMap((one) => one.points.map(([time]) => Math.floor(Date.parse(time) / 1000))));
}

/** The reports waiting in the agent's spool, read from its segment files without disturbing it. */
async function spooledReports(stateDirectory: string): Promise<AgentReport[]> {
  const directory = join(stateDirectory, 'spool');
  const files = (await readdir(directory).catch(() => [] as string[])).filter((file) =>
    file.endsWith('.log'),
  );
  const reports: AgentReport[] = [];
  for (const file of files.sort()) {
    for (const entry of parseRecords(await readFile(join(directory, file)))) {
      if (entry.kind === 'record')
        reports.push(JSON.parse(decodeBody(entry.body).toString('utf8')) as AgentReport);
    }
  }
  return reports;
}

const cycleOf = (report: AgentReport) =>
  report.metrics.find((sample) => sample.name === 'agent.cycle')!.value;

describe('optralis-agent spool across an ingest outage', () => {
  let platform: AgentPlatform;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    platform = await startAgentPlatform();
  }, 240_000);
  afterAll(async () => {
    await agent?.stop();
    await agent?.remove();
    await platform?.close();
  }, 60_000);

  it('should deliver every report made while ingest was down exactly once after it returns, with no gap', async () => {
    const started = Date.now();
    const hostId = `spool-${randomUUID()}`;
    // 2 s apart, so each report has its own 1-second bucket in the raw query and a point is one report.
    agent = await startAgentProcess({
      config: {
        server: platform.ingestUrl,
        token: platform.ingestToken,
        host: { id: hostId, name: hostId },
        intervalSeconds: 2,
      },
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const diagnostics = () => `--- agent\n${agent!.output().slice(-4000)}\n${platform.logs()}`;
    const explain = (error: Error) => {
      throw new Error(`${error.message}\n${diagnostics()}`);
    };

    await expectEventually(async () => {
      expect((await pointsOf(platform, hostId, 'agent.cycle', started)).length).toBeGreaterThanOrEqual(2);
    }, SLOW).catch(explain);

    await platform.stopIngest();
    const spooled = await expectEventually(async () => {
      const reports = await spooledReports(agent!.stateDirectory);
      expect(reports.length).toBeGreaterThanOrEqual(5);
      return reports;
    }, SLOW).catch(explain);
    expect(agent.logs().map((line) => line.message)).toContain(
      'reporting: ingest is unavailable, reports go to the spool',
    );
    await platform.startIngest();

    const lastSpooled = Math.max(...spooled.map(cycleOf));
    const stored = await expectEventually(async () => {
      const cycles = await pointsOf(platform, hostId, 'agent.cycle', started);
      const pending = await pointsOf(platform, hostId, 'agent.spool.pending_reports', started);
      expect(Math.max(...cycles)).toBeGreaterThan(lastSpooled + 2);
      expect(pending.at(-1)).toBe(0);
      return { cycles, pending };
    }, SLOW).catch(explain);

    const highest = Math.max(...stored.cycles);
    expect(stored.cycles).toEqual(Array.from({ length: highest }, (_, index) => index + 1));
    expect(Math.max(...stored.pending)).toBeGreaterThanOrEqual(1);
    const spooledSeqs = spooled.map((report) => report.seq);
    expect(new Set(spooledSeqs).size).toBe(spooledSeqs.length);
    expect(spooled.map(cycleOf)).toEqual(
      spooled.map((report) => cycleOf(spooled[0]) + report.seq - spooled[0].seq),
    );
  }, 420_000);

  it('should lose nothing when the agent is killed (SIGKILL) while it spools, and replay both runs’ reports', async () => {
    const started = Date.now();
    const hostId = `kill-${randomUUID()}`;
    const config = {
      server: platform.ingestUrl,
      token: platform.ingestToken,
      host: { id: hostId, name: hostId },
      intervalSeconds: 2,
    };
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const first = await startAgentProcess({ config, env });
    agent = first;
    const diagnostics = () => `--- agent\n${agent!.output().slice(-4000)}\n${platform.logs()}`;
    const explain = (error: Error) => {
      throw new Error(`${error.message}\n${diagnostics()}`);
    };
    await expectEventually(async () => {
      expect((await storedSeconds(platform, hostId, started)).size).toBeGreaterThanOrEqual(2);
    }, SLOW).catch(explain);

    await platform.stopIngest();
    await expectEventually(async () => {
      expect((await spooledReports(first.stateDirectory)).length).toBeGreaterThanOrEqual(4);
    }, SLOW).catch(explain);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const survived = await spooledReports(first.stateDirectory);

    const second = await startAgentProcess({ config, env, directory: first.directory });
    agent = second;
    const spooled = await expectEventually(async () => {
      const reports = await spooledReports(second.stateDirectory);
      expect(reports.length).toBeGreaterThanOrEqual(survived.length + 3);
      return reports;
    }, SLOW).catch(explain);
    // The first run's reports are still there, untouched, and the second run numbers on above them.
    expect(spooled.slice(0, survived.length)).toEqual(survived);
    const firstRunHighest = Math.max(...survived.map((report) => report.seq));
    for (const report of spooled.slice(survived.length)) expect(report.seq).toBeGreaterThan(firstRunHighest);
    expect(new Set(spooled.map((report) => report.seq)).size).toBe(spooled.length);

    await platform.startIngest();
    await expectEventually(async () => {
      const stored = await storedSeconds(platform, hostId, started);
      const missing = spooled.filter((report) => !stored.has(Math.floor(Date.parse(report.time) / 1000)));
      expect(missing.map((report) => report.seq)).toEqual([]);
      expect((await spooledReports(second.stateDirectory)).length).toBe(0);
    }, SLOW).catch(explain);
  }, 420_000);
});
