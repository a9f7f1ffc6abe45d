import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { discoverPlugins } from './plugin-discovery';
import { giveToNobody, pluginDirectory, runsAsRoot, shellPlugin, writePlugin } from './testing/plugin-files';

describe(discoverPlugins.name, () => {
  const uid = process.getuid!();
  let directory: Awaited<ReturnType<typeof pluginDirectory>>;
  beforeEach(async () => (directory = await pluginDirectory()));
  afterEach(() => directory.remove());

  const script = shellPlugin('echo');
  const skippedReasons = async () =>
    Object.fromEntries(
      (await discoverPlugins(directory.path, uid)).skipped.map((file) => [file.name, file.reason]),
    );

  it('should list executable files that only their owner can change, sorted by name', async () => {
    await writePlugin(directory.path, 'zeta', script);
    await writePlugin(directory.path, 'alpha.sh', script, 0o700);

    const found = await discoverPlugins(directory.path, uid);

    expect(found.plugins.map((plugin) => plugin.name)).toEqual(['alpha.sh', 'zeta']);
    expect(found.plugins[0].path).toBe(join(directory.path, 'alpha.sh'));
    expect(found.skipped).toEqual([]);
  });

  it('should skip non-executable, world-writable and group-writable files with a reason', async () => {
    await writePlugin(directory.path, 'data.targets', 'example.com\n', 0o644);
    await writePlugin(directory.path, 'open', script, 0o757);
    await writePlugin(directory.path, 'team', script, 0o775);

    const found = await discoverPlugins(directory.path, uid);

    expect(found.plugins).toEqual([]);
    expect(
      Object.fromEntries(found.skipped.map((file) => [file.name, [file.reason, file.expected]])),
    ).toEqual({
      'data.targets': ['not executable', true],
      open: ['is world-writable', false],
      team: ['is group-writable', false],
    });
  });

  it.runIf(runsAsRoot)('should skip a file owned by another user', async () => {
    const plugin = await writePlugin(directory.path, 'foreign', script);
    await giveToNobody(plugin.path);

    expect(await skippedReasons()).toEqual({
      foreign: 'is owned by uid 65534, not by root or the agent (uid 0)',
    });
  });

  it('should skip hidden files, editor and package-manager leftovers and names outside the allowed set', async () => {
    for (const name of [
      '.hidden',
      'check~',
      'check.dpkg-old',
      'check.rpmnew',
      'check.disabled',
      'has space',
      'semi;colon',
    ])
      await writePlugin(directory.path, name, script);
    await mkdir(join(directory.path, 'subdirectory'));

    const found = await discoverPlugins(directory.path, uid);

    expect(found.plugins).toEqual([]);
    const expected = Object.fromEntries(found.skipped.map((file) => [file.name, file.expected]));
    expect(expected).toEqual({
      '.hidden': true,
      'check.disabled': true,
      'check.dpkg-old': true,
      'check.rpmnew': true,
      'check~': true,
      'has space': false,
      'semi;colon': false,
      subdirectory: true,
    });
  });

  it('should follow a symlink and check the file it points to', async () => {
    const elsewhere = await pluginDirectory();
    try {
      const safe = await writePlugin(elsewhere.path, 'safe', script);
      const unsafe = await writePlugin(elsewhere.path, 'unsafe', script, 0o777);
      await symlink(safe.path, join(directory.path, 'linked-safe'));
      await symlink(unsafe.path, join(directory.path, 'linked-unsafe'));
      await symlink(join(elsewhere.path, 'missing'), join(directory.path, 'dangling'));

      const found = await discoverPlugins(directory.path, uid);

      expect(found.plugins.map((plugin) => plugin.name)).toEqual(['linked-safe']);
      expect(Object.fromEntries(found.skipped.map((file) => [file.name, file.reason]))).toEqual({
        dangling: 'cannot be read: ENOENT',
        'linked-unsafe': `${unsafe.path} is world-writable`,
      });
    } finally {
      await elsewhere.remove();
    }
  });

  it('should run nothing when the directory itself is writable by others', async () => {
    await writePlugin(directory.path, 'fine', script);
    await chmod(directory.path, 0o777);

    const found = await discoverPlugins(directory.path, uid);

    expect(found.plugins).toEqual([]);
    expect(found.directoryProblem).toBe(`${directory.path} is world-writable`);
  });

  it('should find nothing and report nothing when the directory does not exist', async () => {
    expect(await discoverPlugins(join(directory.path, 'absent'), uid)).toEqual({ plugins: [], skipped: [] });
  });

  it('should report a path that is a file, not a directory', async () => {
    const file = join(directory.path, 'file');
    await writeFile(file, '');

    expect((await discoverPlugins(file, uid)).directoryProblem).toBe(`${file} is not a directory`);
  });
});
