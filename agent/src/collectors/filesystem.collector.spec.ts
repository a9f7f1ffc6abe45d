import { fixtureContext, invalidSamples, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { FilesystemCollector, type FilesystemStats, type Statfs } from './filesystem.collector';
import { parseMountInfo } from './mountinfo.parser';

const ROOT: FilesystemStats = { bsize: 4096, blocks: 1000, bfree: 250, bavail: 200, files: 100, ffree: 40 };
const OTHER: FilesystemStats = { bsize: 1024, blocks: 100, bfree: 50, bavail: 50, files: 10, ffree: 5 };
const VFAT: FilesystemStats = { bsize: 512, blocks: 1000, bfree: 900, bavail: 900, files: 0, ffree: 0 };

function fakeStatfs(answers: Record<string, FilesystemStats | Promise<FilesystemStats>>) {
  const calls: string[] = [];
  const statfs: Statfs = (path) => {
    calls.push(path);
    const answer = answers[path];
    return answer
      ? Promise.resolve(answer)
      : Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
  };
  return { statfs, calls };
}

const mountsOf = (samples: { name: string; labels?: Record<string, string> }[]) =>
  samples.filter((sample) => sample.name === 'disk.total_bytes').map((sample) => sample.labels?.mount);

describe(FilesystemCollector.name, () => {
  it('should report real filesystems once each and leave out pseudo, image and container-runtime mounts', async () => {
    const { statfs, calls } = fakeStatfs({});
    const sut = new FilesystemCollector(fixtureContext('bare-metal'), { statfs });

    await sut.collect();

    expect(calls).toEqual([
      '/run',
      '/',
      '/var',
      '/boot/efi',
      '/mnt/backup share',
      '/srv/www',
      '/run/user/1000',
    ]);
  });

  it('should give usage as df does, with reserved blocks counted as unusable', async () => {
    const { statfs } = fakeStatfs({ '/': ROOT, '/var': OTHER, '/boot/efi': VFAT });
    const sut = new FilesystemCollector(fixtureContext('bare-metal'), { statfs });

    const samples = await sut.collect();

    const root = { mount: '/', device: '/dev/mapper/vg0-root', fstype: 'ext4' };
    expect(valueOf(samples, 'disk.total_bytes', root)).toBe(4_096_000);
    expect(valueOf(samples, 'disk.used_bytes', root)).toBe(3_072_000);
    expect(valueOf(samples, 'disk.free_bytes', root)).toBe(819_200);
    expect(valueOf(samples, 'disk.used_pct', root)).toBe(78.947);
    expect(valueOf(samples, 'disk.inodes_total', root)).toBe(100);
    expect(valueOf(samples, 'disk.inodes_used', root)).toBe(60);
    expect(valueOf(samples, 'disk.inodes_used_pct', root)).toBe(60);
    expect(valueOf(samples, 'disk.used_pct', { mount: '/var', fstype: 'xfs' })).toBe(50);
    expect(valueOf(samples, 'disk.inodes_used_pct', { mount: '/boot/efi' })).toBeUndefined();
    expect(mountsOf(samples)).toEqual(['/', '/var', '/boot/efi']);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it("should keep a container's overlay root and leave out the host files the runtime binds in", async () => {
    const { statfs, calls } = fakeStatfs({ '/': ROOT, '/srv/shared': OTHER });
    const sut = new FilesystemCollector(fixtureContext('docker-container'), { statfs });

    const samples = await sut.collect();

    expect(calls).toEqual(['/', '/srv/shared']);
    expect(valueOf(samples, 'disk.used_pct', { mount: '/', fstype: 'overlay' })).toBe(78.947);
  });

  it('should skip a mount whose statfs hangs until that call has returned', async () => {
    let answerNfs = (_: FilesystemStats) => undefined as void;
    const nfs = new Promise<FilesystemStats>((resolve) => (answerNfs = resolve));
    const { statfs, calls } = fakeStatfs({ '/': ROOT, '/mnt/backup share': nfs });
    const sut = new FilesystemCollector(fixtureContext('bare-metal'), { statfs, statfsTimeoutMs: 20 });

    expect(mountsOf(await sut.collect())).toEqual(['/']);
    expect(mountsOf(await sut.collect())).toEqual(['/']);
    expect(calls.filter((path) => path === '/mnt/backup share')).toHaveLength(1);

    answerNfs(OTHER);
    await new Promise((resolve) => setImmediate(resolve));
    expect(mountsOf(await sut.collect())).toEqual(['/', '/mnt/backup share']);
    expect(calls.filter((path) => path === '/mnt/backup share')).toHaveLength(2);
  });

  it('should fall back to /proc/mounts when there is no mountinfo', async () => {
    const context = scratchContext();
    context.write('proc/mounts', 'proc /proc proc rw 0 0\n/dev/sda1 / ext4 rw,relatime 0 0\n');
    const { statfs } = fakeStatfs({ '/': ROOT });

    const samples = await new FilesystemCollector(context, { statfs }).collect();

    expect(valueOf(samples, 'disk.used_pct', { mount: '/', device: '/dev/sda1' })).toBe(78.947);
  });

  it('should give nothing for a garbage mountinfo or a missing /proc', async () => {
    const { statfs, calls } = fakeStatfs({ '/mnt': ROOT });

    expect(await new FilesystemCollector(fixtureContext('garbage'), { statfs }).collect()).toEqual([]);
    expect(await new FilesystemCollector(fixtureContext('no-such-host'), { statfs }).collect()).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe(parseMountInfo.name, () => {
  it('should read octal escapes in paths and tolerate optional fields', () => {
    const [mount] = parseMountInfo(
      '47 28 0:41 / /mnt/a\\040b\\134c rw shared:31 master:2 - nfs4 nas:/x\\011y rw\n',
    );

    expect(mount).toEqual({
      deviceNumber: '0:41',
      root: '/',
      mountPoint: '/mnt/a b\\c',
      fsType: 'nfs4',
      source: 'nas:/x\ty',
    });
  });
});
