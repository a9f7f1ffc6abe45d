import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HostDetail, HostSummary } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { commandRunner, LINUX_PATHS } from '../src/collectors';
import { type AgentProcess, runAgentCommand, startAgentProcess } from '../src/daemon/testing/agent-process';
import { hardwareId } from '../src/inventory';
import { type AgentPlatform, startAgentPlatform } from './platform';
import { gatewayGet, rawSeries } from './platform-reads';

const SLOW = { timeoutMs: 90_000, intervalMs: 500 };

describe('optralis-agent reporting to the platform', () => {
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

  it('should register the host with its inventory and store its metrics and plugin samples, readable through the gateway', async () => {
    const started = Date.now();
    const name = `agent-int-${randomUUID().slice(0, 8)}`;
    const expectedId = await hardwareId({ paths: LINUX_PATHS, now: Date.now, run: commandRunner });
    agent = await startAgentProcess({
      config: {
        server: platform.ingestUrl,
        token: platform.ingestToken,
        host: { name, tags: ['int', 'agent'] },
        intervalSeconds: 1,
      },
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      plugins: {
        'int-plugin':
          '#!/bin/sh\necho \'{"name":"int.plugin_value","value":42,"labels":{"source":"test"}}\'\n',
      },
    });

    const host = await expectEventually(async () => {
      const page = await gatewayGet<{ items: HostSummary[] }>(platform, `/hosts?q=${name}`);
      expect(page.items).toHaveLength(1);
      return page.items[0];
    }, SLOW).catch((error: Error) => {
      throw new Error(`${error.message}\n--- agent\n${agent!.output().slice(-4000)}\n${platform.logs()}`);
    });
    expect(host).toMatchObject({ id: expectedId, name, status: 'online', source: 'agent' });
    expect(host.tags).toEqual(expect.arrayContaining(['int', 'agent']));

    const detail = await expectEventually(async () => {
      const found = await gatewayGet<HostDetail>(platform, `/hosts/${encodeURIComponent(host.id)}`);
      expect(found.metricNames).toEqual(
        expect.arrayContaining(['cpu.usage_pct', 'agent.cycle', 'int.plugin_value']),
      );
      return found;
    }, SLOW);
    expect(detail.inventory).toMatchObject({ agent_version: '0.1.0', hardware_id: expectedId });
    expect(detail.inventory).toHaveProperty('kernel');
    expect(detail.inventoryUpdatedAt).not.toBeNull();

    await expectEventually(async () => {
      const { series } = await rawSeries(platform, host.id, 'cpu.usage_pct', started);
      expect(series).toHaveLength(1);
      expect(series[0].points.length).toBeGreaterThanOrEqual(3);
      for (const [, value] of series[0].points) expect(value).toBeGreaterThanOrEqual(0);
      for (const [, value] of series[0].points) expect(value).toBeLessThanOrEqual(100);
    }, SLOW);

    const { series: plugin } = await rawSeries(platform, host.id, 'int.plugin_value', started);
    expect(plugin).toEqual([
      {
        name: 'int.plugin_value',
        labels: { source: 'test', plugin: 'int-plugin' },
        points: expect.any(Array),
      },
    ]);
    expect(plugin[0].points.every(([, value]) => value === 42)).toBe(true);

    const ended = await agent.stop();
    expect(ended).toEqual({ code: 0, signal: null });
    expect(agent.logs().map((line) => line.message)).toEqual(
      expect.arrayContaining(['agent started', 'agent stopped']),
    );
    expect(agent.output()).not.toContain(platform.ingestToken);
  }, 300_000);

  it('should enroll with the ingest token without registering a host, and refuse a wrong token or an API token', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'optralis-enroll-'));
    const configPath = join(directory, 'agent.json');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const name = `enrolled-${randomUUID().slice(0, 8)}`;
    const enroll = (token: string) =>
      runAgentCommand(
        ['enroll', '--server', platform.ingestUrl, '--token', token, '--name', name, '--config', configPath],
        env,
      );
    try {
      const wrong = await enroll(platform.ingestToken.replace(/.$/, (last) => (last === '0' ? '1' : '0')));
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('the server refused the token (401');
      const api = await enroll(platform.apiToken);
      expect(api.code).toBe(78);
      expect(api.stderr).toContain('token: is an API token');
      await expect(stat(configPath)).rejects.toThrow(/ENOENT/);

      const accepted = await enroll(platform.ingestToken);

      expect(accepted).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('Token accepted by the server'),
      });
      expect((await stat(configPath)).mode & 0o777).toBe(0o600);
      const page = await gatewayGet<{ items: HostSummary[] }>(platform, `/hosts?q=${name}`);
      expect(page.items).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
