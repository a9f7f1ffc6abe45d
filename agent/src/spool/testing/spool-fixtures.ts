import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Spool } from '../spool';

/** A fresh directory per test, removed afterwards. */
export function useTemporaryDirectory(prefix = 'optralis-spool-'): () => string {
  let directory = '';
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  return () => directory;
}

/** A report-like JSON payload of about `bytes` bytes, identified by `seq`. */
export function payload(seq: number, bytes = 200): Buffer {
  const head = JSON.stringify({ seq, pad: '' });
  return Buffer.from(JSON.stringify({ seq, pad: 'x'.repeat(Math.max(0, bytes - head.length)) }));
}

export function seqOf(data: Uint8Array): number {
  return (JSON.parse(Buffer.from(data).toString('utf8')) as { seq: number }).seq;
}

/** Reads and acknowledges everything pending; returns the seqs in the order they came. */
export async function drain(spool: Spool, limit = 16): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const records = await spool.peek({ limit });
    if (records.length === 0) return seqs;
    seqs.push(...records.map((record) => seqOf(record.payload)));
    await spool.acknowledge(records.at(-1)!.position);
  }
}

/** Everything pending in a spool directory, read from a copy so the original stays as it is. */
export async function pendingSeqs(directory: string): Promise<number[]> {
  const copy = await mkdtemp(join(tmpdir(), 'optralis-spool-copy-'));
  try {
    await cp(directory, copy, { recursive: true });
    const spool = await Spool.open({ directory: copy, maxAgeMs: Infinity });
    const seqs = await drain(spool);
    await spool.close();
    return seqs;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}
