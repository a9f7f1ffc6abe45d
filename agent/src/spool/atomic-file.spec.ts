import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeSmallFile } from './atomic-file';
import { useTemporaryDirectory } from './testing/spool-fixtures';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (path: string, flags: string) => {
      if (disk.full && flags === 'w') {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return actual.open(path, flags);
    },
  };
});

describe('writeSmallFile', () => {
  const directory = useTemporaryDirectory('optralis-atomic-');

  afterEach(() => {
    disk.full = false;
  });

  it('should replace the file with the new content', async () => {
    const path = join(directory(), 'cursor.json');
    await writeSmallFile(path, '{"offset":1}');
    await writeSmallFile(path, '{"offset":2}');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ offset: 2 });
    expect(await readdir(directory())).toEqual(['cursor.json']);
  });

  it('should overwrite in place when the disk is too full for a temporary file', async () => {
    const path = join(directory(), 'sequence.json');
    await writeSmallFile(path, '{"reservedUpTo":1000}');
    disk.full = true;
    await writeSmallFile(path, '{"reservedUpTo":2000}');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ reservedUpTo: 2000 });
    expect(await readdir(directory())).toEqual(['sequence.json']);
  });

  it('should fail when the disk is full and there is nothing to overwrite', async () => {
    disk.full = true;
    await expect(writeSmallFile(join(directory(), 'new.json'), '{}')).rejects.toMatchObject({
      code: 'ENOSPC',
    });
  });
});
