import { chmod, chown, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AgentConfigError } from './agent-config';
import { loadAgentConfig, permissionProblems, writeConfigFile } from './config-file';
import { INGEST_TOKEN } from './testing/ingest-token';

describe('agent config file', () => {
  const uid = process.getuid!();
  let directory: string;
  let path: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'optralis-config-'));
    path = join(directory, 'agent.json');
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const write = async (content: string, mode = 0o600) => {
    await writeFile(path, content);
    await chmod(path, mode);
  };
  const load = (explicit = true, environment: Record<string, string> = {}) =>
    loadAgentConfig({ path, environment, explicit, uid });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as AgentConfigError).problems;
  };

  describe(loadAgentConfig.name, () => {
    it('should load a 0600 file with the token', async () => {
      await write(JSON.stringify({ server: 'https://ingest.example.com', token: INGEST_TOKEN }));

      const loaded = await load();

      expect(loaded).toMatchObject({
        found: true,
        warnings: [],
        config: { server: 'https://ingest.example.com' },
      });
    });

    it('should run on defaults and the environment when the default file is missing', async () => {
      const loaded = await load(false, { OPTRALIS_AGENT_INTERVAL_SECONDS: '3' });

      expect(loaded.found).toBe(false);
      expect(loaded.config.intervalSeconds).toBe(3);
      expect(loaded.warnings).toEqual([`no config file at ${path}: defaults and environment only`]);
    });

    it('should refuse a missing file given with --config', async () => {
      expect(await refusal(load(true))).toEqual([{ field: '(file)', message: 'does not exist' }]);
    });

    it('should name the file and the position when the JSON is malformed', async () => {
      await write('{ "server": "https://ingest.example.com", }');

      const problems = await refusal(load());

      expect(problems[0].message).toMatch(/^is not valid JSON: .*position/);
    });

    it('should refuse a token that every user can read', async () => {
      await write(JSON.stringify({ token: INGEST_TOKEN }), 0o644);

      expect((await refusal(load()))[0].message).toBe(
        `holds the ingest token and is readable by every user (mode 644): run chmod 600 ${path}`,
      );
    });

    it('should warn about a token its group can read', async () => {
      await write(JSON.stringify({ token: INGEST_TOKEN }), 0o640);

      expect((await load()).warnings).toEqual([
        `${path} holds the ingest token and is readable by its group (mode 640); 600 is safer`,
      ]);
    });

    it('should accept a world-readable file without a token', async () => {
      await write(JSON.stringify({ intervalSeconds: 5 }), 0o644);

      expect((await load()).warnings).toEqual([]);
    });

    it('should refuse a file others can change, token or not', async () => {
      await write(JSON.stringify({ intervalSeconds: 5 }), 0o664);

      expect((await refusal(load()))[0].message).toContain('is writable by group or others (mode 664)');
    });

    it.runIf(uid === 0)('should refuse a file owned by another user', async () => {
      await write('{}');
      await chown(path, 65534, 65534);

      expect((await refusal(load()))[0].message).toBe(
        "is owned by uid 65534; it must belong to root or to the agent's user (uid 0)",
      );
    });

    it('should refuse a directory where the file should be', async () => {
      expect(
        (await refusal(loadAgentConfig({ path: directory, environment: {}, explicit: true, uid })))[0]
          .message,
      ).toBe('is not a regular file');
    });
  });

  describe(permissionProblems.name, () => {
    it('should accept the agent user owning its own 0600 file', () => {
      expect(permissionProblems({ path, mode: 0o100600, owner: 990, uid: 990, holdsToken: true })).toEqual(
        [],
      );
    });
  });

  describe(writeConfigFile.name, () => {
    it('should write 0600 JSON and leave no temporary file behind', async () => {
      await writeConfigFile(path, { token: INGEST_TOKEN });

      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ token: INGEST_TOKEN });
      expect(await readdir(directory)).toEqual(['agent.json']);
    });

    it('should replace a world-readable file by a 0600 one', async () => {
      await write('{"old":true}', 0o644);

      await writeConfigFile(path, { token: INGEST_TOKEN });

      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ token: INGEST_TOKEN });
    });

    it('should create the directory when it is missing', async () => {
      const nested = join(directory, 'etc', 'optralis-agent', 'agent.json');

      await writeConfigFile(nested, {});

      expect(await readFile(nested, 'utf8')).toBe('{}\n');
    });

    it.runIf(uid === 0)('should give the file to the agent user when asked', async () => {
      await writeConfigFile(path, {}, { uid: 65534, gid: 65534 });

      expect((await stat(path)).uid).toBe(65534);
    });
  });
});
