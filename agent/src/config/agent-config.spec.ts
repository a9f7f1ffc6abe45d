import { AgentConfigError, parseAgentConfig, requireEnrolled } from './agent-config';
import { INGEST_TOKEN } from './testing/ingest-token';

describe(parseAgentConfig.name, () => {
  const parse = (file: unknown, environment: Record<string, string> = {}) =>
    parseAgentConfig({ file, environment, source: '/etc/optralis-agent/agent.json' });
  const problems = (file: unknown, environment: Record<string, string> = {}) => {
    try {
      parse(file, environment);
    } catch (error) {
      if (error instanceof AgentConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected the configuration to be refused');
  };

  it('should fill every default when the file is empty', () => {
    expect(parse({})).toEqual({
      host: { tags: [] },
      intervalSeconds: 10,
      stateDirectory: '/var/lib/optralis-agent',
      spool: { maxBytes: 500 * 1024 * 1024, maxAgeSeconds: 7 * 86_400 },
      pluginsDirectory: '/etc/optralis-agent/plugins.d',
      pluginTimeoutSeconds: 5,
      pluginConcurrency: 4,
      collectors: { disabled: [] },
      logLevel: 'info',
    });
  });

  it('should keep a full file and drop the trailing slash of the server URL', () => {
    const config = parse({
      server: 'https://ingest.example.com/',
      token: INGEST_TOKEN,
      host: { id: 'web-01', name: 'web 01', tags: ['prod', 'web'] },
      intervalSeconds: 30,
      collectors: { disabled: ['docker'] },
      logLevel: 'debug',
    });

    expect(config).toMatchObject({
      server: 'https://ingest.example.com',
      token: INGEST_TOKEN,
      host: { id: 'web-01', name: 'web 01', tags: ['prod', 'web'] },
      intervalSeconds: 30,
      collectors: { disabled: ['docker'] },
      logLevel: 'debug',
    });
  });

  it('should let the environment override the file', () => {
    const config = parse(
      { server: 'https://old.example.com', intervalSeconds: 30, host: { name: 'from-file', tags: ['a'] } },
      {
        OPTRALIS_AGENT_SERVER: 'http://127.0.0.1:8081',
        OPTRALIS_AGENT_TOKEN: INGEST_TOKEN,
        OPTRALIS_AGENT_INTERVAL_SECONDS: '1',
        OPTRALIS_AGENT_STATE_DIRECTORY: '/tmp/state',
        OPTRALIS_AGENT_HOST_NAME: 'from-env',
        OPTRALIS_AGENT_TAGS: ' prod, ,web ',
        OPTRALIS_AGENT_DISABLED_COLLECTORS: 'docker,systemd',
        OPTRALIS_AGENT_LOG_LEVEL: 'warn',
        OPTRALIS_AGENT_SPOOL_MAX_BYTES: '2097152',
      },
    );

    expect(config).toMatchObject({
      server: 'http://127.0.0.1:8081',
      token: INGEST_TOKEN,
      intervalSeconds: 1,
      stateDirectory: '/tmp/state',
      host: { name: 'from-env', tags: ['prod', 'web'] },
      collectors: { disabled: ['docker', 'systemd'] },
      logLevel: 'warn',
      spool: { maxBytes: 2097152 },
    });
  });

  it('should ignore empty environment variables', () => {
    expect(parse({ intervalSeconds: 30 }, { OPTRALIS_AGENT_INTERVAL_SECONDS: '' }).intervalSeconds).toBe(30);
  });

  it('should name every bad field when the file is malformed', () => {
    expect(
      problems({
        server: 'ftp://ingest.example.com',
        intervalSeconds: 0,
        stateDirectory: 'relative/path',
        host: { id: 'has.dots', tags: ['ok', ''] },
        spool: { maxBytes: 'lots' },
        logLevel: 'verbose',
      }).map((problem) => problem.field),
    ).toEqual([
      'server',
      'host.id',
      'host.tags.1',
      'intervalSeconds',
      'stateDirectory',
      'spool.maxBytes',
      'logLevel',
    ]);
  });

  it('should refuse unknown keys so a typo does not pass silently', () => {
    expect(problems({ intervalSecond: 5 })).toEqual([
      { field: '(file)', message: expect.stringContaining('intervalSecond') },
    ]);
  });

  it('should refuse a file that is not a JSON object', () => {
    expect(problems([1, 2])).toEqual([{ field: '(file)', message: 'must be a JSON object' }]);
    expect(problems(null)).toEqual([{ field: '(file)', message: 'must be a JSON object' }]);
  });

  it('should say which variable a bad value came from', () => {
    expect(problems({}, { OPTRALIS_AGENT_INTERVAL_SECONDS: 'ten' })).toEqual([
      { field: 'intervalSeconds (from OPTRALIS_AGENT_INTERVAL_SECONDS)', message: expect.any(String) },
    ]);
    expect(problems({}, { OPTRALIS_AGENT_TAGS: 'x'.repeat(129) })[0].field).toBe(
      'host.tags.0 (from OPTRALIS_AGENT_TAGS)',
    );
  });

  it('should refuse an API token, credentials in the URL and a malformed token', () => {
    expect(problems({ token: `opt_api_abcd1234_${'0'.repeat(48)}` })).toEqual([
      { field: 'token', message: 'is an API token; the agent needs an ingest token (opt_ing_…)' },
    ]);
    expect(problems({ token: 'secret' })[0].message).toContain('must be an ingest token');
    expect(problems({ server: 'https://user:pass@ingest.example.com' })[0].message).toContain('credentials');
    expect(problems({ server: 'not a url' })[0].message).toContain('must be a URL');
    expect(problems({ server: 'https://ingest.example.com/?x=1' })[0].message).toContain('query');
  });
});

describe(requireEnrolled.name, () => {
  it('should name server and token when they are missing', () => {
    const config = parseAgentConfig({ file: {}, environment: {}, source: 'test' });

    expect(() => requireEnrolled(config, 'test')).toThrow(/server: is required[\s\S]*token: is required/);
  });

  it('should pass an enrolled config through', () => {
    const config = parseAgentConfig({
      file: { server: 'https://ingest.example.com', token: INGEST_TOKEN },
      environment: {},
      source: 'test',
    });

    expect(requireEnrolled(config, 'test').server).toBe('https://ingest.example.com');
  });
});
