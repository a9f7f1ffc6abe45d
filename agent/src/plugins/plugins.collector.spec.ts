import type { Sample } from '@optralis/contracts';
import { strictMock } from '@optralis/testing/vitest';

import type { Logger } from '../reporting/logger';
import { DEFAULT_PLUGIN_LIMITS } from './plugin-runner';
import { PluginsCollector } from './plugins.collector';
import { pluginDirectory, shellPlugin, writePlugin } from './testing/plugin-files';

describe(PluginsCollector.name, () => {
  let directory: Awaited<ReturnType<typeof pluginDirectory>>;
  beforeEach(async () => (directory = await pluginDirectory()));
  afterEach(() => directory.remove());

  const setup = (overrides: { concurrency?: number; timeoutMs?: number } = {}) => {
    const logger = strictMock<Logger>(['debug', 'info', 'warn', 'error']);
    for (const method of ['debug', 'info', 'warn'] as const) logger[method].mockReturnValue(undefined);
    const sut = new PluginsCollector({
      directory: directory.path,
      limits: { ...DEFAULT_PLUGIN_LIMITS, timeoutMs: overrides.timeoutMs ?? 5000 },
      concurrency: overrides.concurrency ?? 4,
      environment: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      uid: process.getuid!(),
      logger,
    });
    return { sut, logger };
  };

  const timed = (name: string) =>
    shellPlugin(
      `start=$(date +%s%3N); sleep 0.3; end=$(date +%s%3N)\necho "{\\"name\\":\\"run.start\\",\\"value\\":$start}"\necho "{\\"name\\":\\"run.end\\",\\"value\\":$end}"\n# ${name}`,
    );
  const valueOf = (samples: Sample[], name: string, plugin: string) =>
    samples.find((sample) => sample.name === name && sample.labels?.plugin === plugin)?.value;

  it('should run every plugin and add its self metrics when all succeed', async () => {
    await writePlugin(directory.path, 'one', shellPlugin('echo \'{"name":"one.value","value":1}\''));
    await writePlugin(
      directory.path,
      'two',
      shellPlugin('echo \'{"name":"two.value","value":2}\'; echo garbage'),
    );
    const { sut } = setup();

    const samples = await sut.collect();

    expect(sut.name).toBe('plugins');
    expect(valueOf(samples, 'one.value', 'one')).toBe(1);
    expect(valueOf(samples, 'two.value', 'two')).toBe(2);
    expect(valueOf(samples, 'agent.plugin.ok', 'one')).toBe(1);
    expect(valueOf(samples, 'agent.plugin.rejected_lines', 'two')).toBe(1);
    expect(valueOf(samples, 'agent.plugin.samples', 'two')).toBe(1);
    expect(valueOf(samples, 'agent.plugin.duration_ms', 'one')).toBeGreaterThanOrEqual(0);
  });

  it('should never run more plugins at once than its concurrency', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await writePlugin(directory.path, name, timed(name));
    const { sut } = setup({ concurrency: 2 });

    const samples = await sut.collect();

    const runs = ['a', 'b', 'c', 'd', 'e'].map((plugin) => ({
      start: valueOf(samples, 'run.start', plugin)!,
      end: valueOf(samples, 'run.end', plugin)!,
    }));
    const overlapping = runs.map(
      (run) => runs.filter((other) => other.start <= run.start && other.end > run.start).length,
    );
    expect(Math.max(...overlapping)).toBe(2);
  });

  it('should report a hanging plugin as failed and still return the others', async () => {
    await writePlugin(directory.path, 'hangs', shellPlugin('sleep 30'));
    await writePlugin(directory.path, 'quick', shellPlugin('echo \'{"name":"quick.value","value":7}\''));
    const { sut, logger } = setup({ timeoutMs: 300 });

    const samples = await sut.collect();

    expect(valueOf(samples, 'quick.value', 'quick')).toBe(7);
    expect(valueOf(samples, 'agent.plugin.ok', 'hangs')).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      'plugin failed: timed out after 300 ms',
      expect.objectContaining({ plugin: 'hangs' }),
    );
  });

  it('should not start a plugin again while its previous run is still going', async () => {
    await writePlugin(
      directory.path,
      'slow',
      shellPlugin('sleep 1; echo \'{"name":"slow.value","value":1}\''),
    );
    const { sut } = setup();

    const first = sut.collect();
    await vi.waitFor(() => expect((sut as unknown as { running: Set<string> }).running.size).toBe(1));
    const second = await sut.collect();

    expect(second).toEqual([]);
    expect(valueOf(await first, 'slow.value', 'slow')).toBe(1);
  });

  it('should log a skipped file and a failing plugin once, not every cycle', async () => {
    await writePlugin(directory.path, 'unsafe', shellPlugin('echo'), 0o777);
    await writePlugin(directory.path, 'fails', shellPlugin('exit 2'));
    const { sut, logger } = setup();

    await sut.collect();
    await sut.collect();

    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      'plugin skipped',
      expect.objectContaining({ plugin: 'unsafe', reason: 'is world-writable' }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'plugin failed: exited with code 2',
      expect.objectContaining({ plugin: 'fails' }),
    );
  });

  it('should give a cycle enough time for every batch of plugins', async () => {
    for (const name of ['a', 'b', 'c']) await writePlugin(directory.path, name, shellPlugin('true'));
    const { sut } = setup({ concurrency: 2, timeoutMs: 1000 });

    await sut.collect();

    expect(sut.budgetMs()).toBe(2 * 1000 + 1000);
  });
});
