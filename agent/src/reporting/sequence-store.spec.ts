import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { useTemporaryDirectory } from '../spool/testing/spool-fixtures';
import { SequenceStore } from './sequence-store';
import { RecordingLogger } from './testing/reporting-fakes';

describe(SequenceStore.name, () => {
  const directory = useTemporaryDirectory('optralis-seq-');
  const mark = async () =>
    JSON.parse(await readFile(join(directory(), 'sequence.json'), 'utf8')).reservedUpTo;

  it('should hand out increasing numbers and keep a reserved block ahead of them on disk', async () => {
    const sut = await SequenceStore.open({ directory: directory(), blockSize: 10 });
    const seqs = [];
    for (let index = 0; index < 25; index += 1) {
      seqs.push(await sut.next());
      expect(await mark()).toBeGreaterThan(seqs.at(-1)!);
    }
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, index) => index));
    expect(await mark()).toBe(30);
  });

  it('should never reuse a number after a crash, whatever was used of the block', async () => {
    const first = await SequenceStore.open({ directory: directory(), blockSize: 1000 });
    const used = [await first.next(), await first.next(), await first.next()];
    // No close, no flush: a kill -9 leaves the disk as it is now.
    const sut = await SequenceStore.open({ directory: directory(), blockSize: 1000 });
    const next = await sut.next();
    expect(next).toBeGreaterThan(Math.max(...used));
    expect(next).toBe(1000);
    expect(await mark()).toBe(2000);
  });

  it('should not depend on the wall clock', async () => {
    const first = await SequenceStore.open({ directory: directory(), now: () => 5_000_000 });
    const before = await first.next();
    const sut = await SequenceStore.open({ directory: directory(), now: () => 1 });
    expect(await sut.next()).toBeGreaterThan(before);
  });

  it('should hand out distinct numbers to concurrent callers across a block boundary', async () => {
    const sut = await SequenceStore.open({ directory: directory(), blockSize: 3 });
    const seqs = await Promise.all(Array.from({ length: 20 }, () => sut.next()));
    expect(new Set(seqs).size).toBe(20);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('should continue above anything used before and say so when the mark is unreadable', async () => {
    await writeFile(join(directory(), 'sequence.json'), '{"reservedUp');
    const logger = new RecordingLogger();
    const sut = await SequenceStore.open({ directory: directory(), logger, now: () => 1_767_225_600_000 });
    expect(await sut.next()).toBe(1_767_225_600_000);
    expect(logger.messages('error')).toHaveLength(1);
  });
});
