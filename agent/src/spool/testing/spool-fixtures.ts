import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { decodeBody, type EncodedBody } from '../../transport/encoded-body';
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

/** Report-like JSON of `bytes` bytes (or just over when that is too few), identified by `seq`. */
export function json(seq: number, bytes = 200): Buffer {
  const head = JSON.stringify({ seq, pad: '' });
  return Buffer.from(JSON.stringify({ seq, pad: 'x'.repeat(Math.max(0, bytes - head.length)) }));
}

/** An uncompressed body of exactly `bytes` bytes, so that tests can count the spool's bytes. */
export function payload(seq: number, bytes = 200): EncodedBody {
  return { bytes: json(seq, bytes), encoding: 'identity' };
}

/** A compressed body, as the reporting loop spools them. */
export function gzipped(seq: number, bytes = 200): EncodedBody {
  return { bytes: gzipSync(json(seq, bytes)), encoding: 'gzip' };
}

/** The seq inside a body; decompresses, which only tests and logs need to. */
export function seqOf(body: EncodedBody): number {
  return (JSON.parse(decodeBody(body).toString('utf8')) as { seq: number }).seq;
}

/** Reads and acknowledges everything pending; returns the seqs in the order they came. */
export async function drain(spool: Spool, limit = 16): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const records = await spool.peek({ limit });
    if (records.length === 0) return seqs;
    seqs.push(...records.map((record) => seqOf(record.body)));
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
