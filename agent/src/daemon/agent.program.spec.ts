import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseAgentConfig } from '../config/agent-config';
import { INGEST_TOKEN } from '../config/testing/ingest-token';
import { runAgentProgram } from './agent.program';
import { type CommandContext, pluginEnvironment } from './command-context';

describe(runAgentProgram.name, () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'optralis-program-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const setup = (environment: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const exitCodes: number[] = [];
    const context: CommandContext = {
      environment,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      uid: process.getuid!(),
      setExitCode: (code) => exitCodes.push(code),
      exit: () => {
        throw new Error('unexpected exit');
      },
      waitForStopSignal: () => new Promise(() => undefined),
    };
    return { context, output: () => ({ stdout, stderr, exitCodes }) };
  };

  it('should print the version', async () => {
    const { context, output } = setup();

    expect(await runAgentProgram(['--version'], context)).toBe(0);
    expect(output().stdout).toBe('0.1.0\n');
  });

  it('should exit 78 naming the fields when run has no server or token', async () => {
    const configPath = join(directory, 'agent.json');
    await writeFile(configPath, '{"intervalSeconds": 10}', { mode: 0o600 });
    const { context, output } = setup();

    expect(await runAgentProgram(['run', '--config', configPath], context)).toBe(78);
    expect(output().stderr).toContain('server: is required');
    expect(output().stderr).toContain('token: is required');
  });

  it('should exit 78 naming the variable when the environment is malformed', async () => {
    const configPath = join(directory, 'agent.json');
    await writeFile(configPath, '{"server": "https://ingest.example.com"}', { mode: 0o600 });
    const { context, output } = setup({
      OPTRALIS_AGENT_INTERVAL_SECONDS: '0',
      OPTRALIS_AGENT_TOKEN: INGEST_TOKEN,
    });

    expect(await runAgentProgram(['run', '--config', configPath], context)).toBe(78);
    expect(output().stderr).toContain('intervalSeconds (from OPTRALIS_AGENT_INTERVAL_SECONDS): Too small');
    expect(output().stderr).not.toContain(INGEST_TOKEN);
  });

  it('should exit 78 when the file given with --config does not exist', async () => {
    const { context, output } = setup();

    expect(await runAgentProgram(['collect', '--config', join(directory, 'missing.json')], context)).toBe(78);
    expect(output().stderr).toContain('(file): does not exist');
  });

  it('should run one plugin, print its samples and rejections and fail when a line was rejected', async () => {
    const plugins = join(directory, 'plugins.d');
    await mkdir(plugins);
    await chmod(plugins, 0o755);
    await writeFile(
      join(plugins, 'probe'),
      '#!/bin/sh\necho \'{"name":"probe.value","value":1}\'\necho nope\n',
      { mode: 0o755 },
    );
    const configPath = join(directory, 'agent.json');
    await writeFile(configPath, JSON.stringify({ pluginsDirectory: plugins }), { mode: 0o600 });
    const { context, output } = setup({ PATH: '/usr/bin:/bin' });

    expect(await runAgentProgram(['plugin', 'run', 'probe', '--config', configPath], context)).toBe(0);

    const printed = JSON.parse(output().stdout) as { samples: unknown[]; rejected: unknown[] };
    expect(printed.samples).toEqual([{ name: 'probe.value', value: 1, labels: { plugin: 'probe' } }]);
    expect(printed.rejected).toEqual([{ line: 2, text: 'nope', reason: 'not JSON' }]);
    expect(output().exitCodes).toEqual([1]);
  });

  it('should say why a plugin would not run', async () => {
    const plugins = join(directory, 'plugins.d');
    await mkdir(plugins);
    await chmod(plugins, 0o755);
    await writeFile(join(plugins, 'open'), '#!/bin/sh\n', { mode: 0o777 });
    await chmod(join(plugins, 'open'), 0o777);
    const configPath = join(directory, 'agent.json');
    await writeFile(configPath, JSON.stringify({ pluginsDirectory: plugins }), { mode: 0o600 });
    const { context, output } = setup();

    expect(await runAgentProgram(['plugin', 'run', 'open', '--config', configPath], context)).toBe(1);
    expect(output().stderr).toBe('optralis-agent: error: plugin "open" would not run: is world-writable\n');
    expect(await runAgentProgram(['plugin', 'run', 'absent', '--config', configPath], context)).toBe(1);
  });
});

describe(pluginEnvironment.name, () => {
  it('should pass the environment on without the agent settings and with the plugin budget', () => {
    const config = parseAgentConfig({ file: { pluginTimeoutSeconds: 3 }, environment: {}, source: 'test' });

    expect(
      pluginEnvironment(
        {
          PATH: '/bin',
          TLS_CERT_EXPIRY_TARGETS: 'a.example',
          OPTRALIS_AGENT_TOKEN: INGEST_TOKEN,
          OPTRALIS_AGENT_FUTURE: 'x',
        },
        config,
      ),
    ).toEqual({
      PATH: '/bin',
      TLS_CERT_EXPIRY_TARGETS: 'a.example',
      OPTRALIS_PLUGIN_TIMEOUT_SECONDS: '3',
      OPTRALIS_PLUGIN_INTERVAL_SECONDS: '10',
    });
  });
});
