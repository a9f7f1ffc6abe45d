import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { expectEventually } from '@optralis/testing';

import { Spool } from './spool';
import { compileSpool } from './testing/compile-spool';
import { drain, gzipped, pendingSeqs, range, useTemporaryDirectory } from './testing/spool-fixtures';

const WRITER = join(__dirname, 'testing/spool-writer.mjs');
const ROUNDS = 6;

interface WriterLog {
  appended: number[];
  acking: number | undefined;
  acked: number | undefined;
}

/** Complete lines only: a line cut by the kill was not printed, so it promises nothing. */
function readLog(output: string): WriterLog {
  const log: WriterLog = { appended: [], acking: undefined, acked: undefined };
  for (const line of output.split('\n').slice(0, -1)) {
    const [word, value] = line.split(' ');
    if (word === 'appended') log.appended.push(Number(value));
    if (word === 'acking') log.acking = Number(value);
    if (word === 'acked') log.acked = Number(value);
  }
  return log;
}

async function runUntilKilled(modulePath: string, directory: string, firstSeq: number): Promise<WriterLog> {
  const child: ChildProcess = spawn(process.execPath, [WRITER, modulePath, directory, String(firstSeq)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const target = 30 + Math.floor(Math.random() * 300);
  try {
    await expectEventually(
      () => expect(readLog(output).appended.length, errors).toBeGreaterThanOrEqual(target),
      {
        intervalMs: 1 + Math.floor(Math.random() * 10),
      },
    );
  } finally {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
  expect(child.signalCode).toBe('SIGKILL');
  return readLog(output);
}

describe(`${Spool.name} under kill -9`, () => {
  const directory = useTemporaryDirectory();
  let modulePath = '';

  beforeAll(async () => {
    modulePath = await compileSpool();
  }, 120_000);

  afterAll(async () => {
    if (modulePath !== '') await rm(dirname(dirname(modulePath)), { recursive: true, force: true });
  });

  it('should keep every acknowledged-as-written record exactly once and in order across kills', async () => {
    let nextSeq = 0;
    let acked: number | undefined;
    for (const round of range(0, ROUNDS)) {
      const log = await runUntilKilled(modulePath, directory(), nextSeq);
      const seqs = await pendingSeqs(directory());

      // An acknowledgement cut by the kill may or may not have been saved; a finished one was.
      const lastAcked = log.acked ?? acked;
      const firstAllowed = [lastAcked === undefined ? 0 : lastAcked + 1];
      if (log.acking !== undefined && log.acking !== log.acked) firstAllowed.push(log.acking + 1);
      expect(firstAllowed, `round ${round}`).toContain(seqs[0]);
      expect(seqs, `round ${round}: contiguous, each once`).toEqual(range(seqs[0], seqs[0] + seqs.length));
      expect(seqs.at(-1), `round ${round}: every printed append is there`).toBeGreaterThanOrEqual(
        log.appended.at(-1)!,
      );
      acked = lastAcked;
      nextSeq = seqs.at(-1)! + 1;
    }

    const sut = await Spool.open({ directory: directory() });
    expect(await sut.append(gzipped(nextSeq))).toBe('stored');
    const all = await drain(sut);
    expect(all.at(-1)).toBe(nextSeq);
    expect(all).toEqual(range(all[0], nextSeq + 1));
    expect(sut.stats().droppedReports).toBe(0);
    await sut.close();
  });
});
