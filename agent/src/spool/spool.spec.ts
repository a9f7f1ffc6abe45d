import { randomBytes } from 'node:crypto';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Spool, type SpoolOptions } from './spool';
import { encodeRecord, RECORD_HEADER_BYTES } from './spool-record';
import { writeFully } from './spool-segment';
import { writeLegacySpool } from './testing/legacy-spool';
import {
  drain,
  gzipped,
  json,
  payload,
  pendingSeqs,
  range,
  seqOf,
  useTemporaryDirectory,
} from './testing/spool-fixtures';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

describe(Spool.name, () => {
  const directory = useTemporaryDirectory();
  let clock = START;
  beforeEach(() => {
    clock = START;
  });
  const open = (options: Partial<SpoolOptions> = {}) =>
    Spool.open({ directory: directory(), now: () => clock, ...options });
  const segmentFiles = async () =>
    (await readdir(directory())).filter((name) => name.startsWith('segment-')).sort();

  it('should give back appended reports in order and forget them once acknowledged', async () => {
    const sut = await open();
    for (const seq of range(1, 6)) expect(await sut.append(payload(seq))).toBe('stored');
    expect(sut.stats()).toMatchObject({ pendingReports: 5, oldestRecordTime: START, droppedReports: 0 });
    expect(sut.stats().bytes).toBe(5 * (RECORD_HEADER_BYTES + 200));

    const first = await sut.peek({ limit: 2 });
    expect(first.map((record) => seqOf(record.body))).toEqual([1, 2]);
    expect(first[0].time).toBe(START);
    await sut.acknowledge(first[1].position);

    expect(sut.stats().pendingReports).toBe(3);
    expect(await drain(sut)).toEqual([3, 4, 5]);
    expect(sut.stats()).toMatchObject({ pendingReports: 0, bytes: 0, oldestRecordTime: undefined });
    await sut.close();
  });

  it('should give each body back with its encoding and its bytes unchanged', async () => {
    const sut = await open();
    const bodies = [gzipped(1, 5000), payload(2), gzipped(3)];
    for (const body of bodies) await sut.append(body);
    const records = await sut.peek();
    expect(records.map((record) => record.body.encoding)).toEqual(['gzip', 'identity', 'gzip']);
    records.forEach((record, index) =>
      expect(Buffer.compare(record.body.bytes, bodies[index].bytes)).toBe(0),
    );
    expect(sut.stats().bytes).toBe(
      bodies.reduce((sum, body) => sum + RECORD_HEADER_BYTES + body.bytes.length, 0),
    );
    await sut.close();
  });

  it('should replay what the previous format left after an upgrade and append behind it', async () => {
    const reports = range(1, 6).map((seq) => ({ json: json(seq), time: START + seq * 10_000 }));
    await writeLegacySpool({ directory: directory(), reports, acknowledged: 2 });
    clock = START + DAY;

    const upgraded = await open();
    expect(upgraded.stats()).toMatchObject({ pendingReports: 3, oldestRecordTime: START + 30_000 });
    await upgraded.append(gzipped(6));
    await upgraded.close();
    // Reopened once more: recovery reads the segment that holds both formats.
    const sut = await open();
    expect(await segmentFiles()).toHaveLength(1);
    const records = await sut.peek();
    expect(records.map((record) => [seqOf(record.body), record.body.encoding])).toEqual([
      [3, 'identity'],
      [4, 'identity'],
      [5, 'identity'],
      [6, 'gzip'],
    ]);
    expect(Buffer.compare(records[0].body.bytes, json(3))).toBe(0);
    expect(records.map((record) => record.time)).toEqual(
      [30_000, 40_000, 50_000, DAY].map((ms) => START + ms),
    );
    await sut.acknowledge(records[1].position);
    expect(sut.stats()).toMatchObject({ pendingReports: 2, oldestRecordTime: START + 50_000 });
    expect(await drain(sut)).toEqual([5, 6]);
    expect(sut.stats().droppedReports).toBe(0);
    await sut.close();
  });

  it('should give the same records again when they were read but not acknowledged', async () => {
    const sut = await open();
    for (const seq of range(1, 4)) await sut.append(payload(seq));
    await sut.peek();
    expect((await sut.peek()).map((record) => seqOf(record.body))).toEqual([1, 2, 3]);
    await sut.close();
  });

  it('should resume after the last acknowledged record when reopened', async () => {
    const first = await open();
    for (const seq of range(1, 11)) await first.append(payload(seq));
    const records = await first.peek({ limit: 4 });
    await first.acknowledge(records[3].position);
    await first.close();

    const sut = await open();
    expect(sut.stats().pendingReports).toBe(6);
    expect(await drain(sut)).toEqual(range(5, 11));
    await sut.close();
  });

  it('should roll over to new segments and delete each one once it is fully acknowledged', async () => {
    const sut = await open({ segmentBytes: 2048 });
    for (const seq of range(1, 31)) await sut.append(payload(seq));
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThanOrEqual(3);

    const head = await sut.peek({ limit: 100 });
    expect(head.length).toBe(Math.floor(2048 / (RECORD_HEADER_BYTES + 200)));
    await sut.acknowledge(head.at(-1)!.position);
    expect(await segmentFiles()).toEqual(files.slice(1));

    expect(await drain(sut)).toEqual(range(head.length + 1, 31));
    expect(await segmentFiles()).toEqual([]);
    expect(await sut.append(payload(31))).toBe('stored');
    await sut.close();
    expect(await pendingSeqs(directory())).toEqual([31]);
  });

  it('should drop the oldest segment and count its reports when the size bound is reached', async () => {
    const sut = await open({ maxBytes: 8192, segmentBytes: 2048 });
    for (const seq of range(1, 101)) expect(await sut.append(payload(seq))).toBe('stored');
    const stats = sut.stats();
    expect(stats.bytes).toBeLessThanOrEqual(8192);
    expect(stats.droppedBy.size).toBe(100 - stats.pendingReports);
    expect(stats.droppedReports).toBe(stats.droppedBy.size);

    const kept = await drain(sut);
    expect(kept.length).toBeGreaterThan(8192 / 2 / (RECORD_HEADER_BYTES + 200));
    expect(kept).toEqual(range(101 - kept.length, 101));
    await sut.close();
  });

  it('should drop a report larger than the whole spool and keep the others', async () => {
    const sut = await open({ maxBytes: 4096 });
    await sut.append(payload(1));
    expect(await sut.append(payload(2, 5000))).toBe('dropped');
    expect(sut.stats().droppedBy.size).toBe(1);
    expect(await drain(sut)).toEqual([1]);
    await sut.close();
  });

  it('should drop reports past the age bound, oldest first, and count them', async () => {
    const sut = await open({ maxAgeMs: 7 * DAY, segmentBytes: 2048 });
    for (const day of range(0, 10)) {
      clock = START + day * DAY;
      for (const index of range(0, 5)) await sut.append(payload(day * 10 + index));
    }
    clock = START + 9 * DAY + 3_600_000;
    const expected = range(3, 10).flatMap((day) => range(0, 5).map((index) => day * 10 + index));
    expect(await drain(sut)).toEqual(expected);
    expect(sut.stats().droppedBy.age).toBe(15);
    await sut.close();
  });

  it('should neither empty nor freeze the age bound when the wall clock goes backwards', async () => {
    const sut = await open({ maxAgeMs: 7 * DAY });
    await sut.append(payload(1));
    clock = START + 8 * DAY;
    await sut.append(payload(2));
    clock = START - 30 * DAY;
    await sut.append(payload(3));

    const records = await sut.peek();
    expect(records.map((record) => seqOf(record.body))).toEqual([2, 3]);
    expect(records[1].time).toBe(START + 8 * DAY);
    expect(sut.stats().droppedBy.age).toBe(1);
    await sut.close();
  });

  it('should cut half a record off the tail and keep appending after the records before it', async () => {
    const first = await open();
    for (const seq of range(1, 6)) await first.append(payload(seq));
    await first.close();
    const [file] = await segmentFiles();
    const torn = encodeRecord(payload(6), clock);
    await appendFile(join(directory(), file), torn.subarray(0, torn.length / 2));

    const sut = await open();
    expect(sut.stats().pendingReports).toBe(5);
    expect(await sut.append(payload(7))).toBe('stored');
    await sut.close();
    expect(await pendingSeqs(directory())).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('should cut random bytes off the tail', async () => {
    const first = await open();
    for (const seq of range(1, 4)) await first.append(payload(seq));
    await first.close();
    const [file] = await segmentFiles();
    await appendFile(join(directory(), file), randomBytes(5000));

    const sut = await open();
    expect(sut.stats()).toMatchObject({ pendingReports: 3, bytes: 3 * (RECORD_HEADER_BYTES + 200) });
    await sut.append(payload(4));
    await sut.close();
    expect(await pendingSeqs(directory())).toEqual([1, 2, 3, 4]);
  });

  it('should skip and count a record whose checksum no longer matches', async () => {
    const first = await open();
    for (const seq of range(1, 6)) await first.append(payload(seq));
    await first.close();
    const path = join(directory(), (await segmentFiles())[0]);
    const content = await readFile(path);
    content[2 * (RECORD_HEADER_BYTES + 200) + RECORD_HEADER_BYTES + 30] ^= 0x20;
    await writeFile(path, content);

    const sut = await open();
    expect(sut.stats().pendingReports).toBe(4);
    expect(await drain(sut)).toEqual([1, 2, 4, 5]);
    expect(sut.stats().droppedBy.corrupt).toBe(1);
    await sut.close();
  });

  it('should count a report as dropped and keep working when the disk is full', async () => {
    let full = false;
    const sut = await open({
      writeAt: async (handle, data, position) => {
        if (!full) return writeFully(handle, data, position);
        await writeFully(handle, data.subarray(0, 7), position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    expect(await sut.append(payload(1))).toBe('stored');
    full = true;
    expect(await sut.append(payload(2))).toBe('dropped');
    full = false;
    expect(await sut.append(payload(3))).toBe('stored');
    expect(sut.stats()).toMatchObject({ pendingReports: 2, droppedBy: { write: 1 } });
    await sut.close();
    expect(await pendingSeqs(directory())).toEqual([1, 3]);
  });

  it('should return a record longer than the read chunk', async () => {
    const sut = await open();
    await sut.append(payload(1, 10_000));
    await sut.append(payload(2));
    const records = await sut.peek({ maxBytes: 512 });
    expect(seqOf(records[0].body)).toBe(1);
    expect(records[0].body.bytes.length).toBe(10_000);
    await sut.close();
  });
});
