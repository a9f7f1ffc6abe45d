import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

import type { EncodedBody } from '../transport/encoded-body';
import { encodeRecord, headerTime, parseRecords, RECORD_HEADER_BYTES } from './spool-record';
import { encodeLegacyRecord, LEGACY_HEADER_BYTES } from './testing/legacy-spool';
import { gzipped, seqOf } from './testing/spool-fixtures';

const text = (value: string): EncodedBody => ({ bytes: Buffer.from(value, 'utf8'), encoding: 'identity' });
const bodies = (buffer: Buffer) =>
  [...parseRecords(buffer)].flatMap((entry) => (entry.kind === 'record' ? [entry.body] : []));

describe('spool records', () => {
  it('should read back what was encoded, with its time', () => {
    const frames = Buffer.concat([
      encodeRecord(text('{"a":1}'), 1000.5),
      encodeRecord(text('{"b":2}'), 2000),
    ]);
    const entries = [...parseRecords(frames, 100)];
    expect(entries).toMatchObject([
      { kind: 'record', offset: 100, time: 1000.5 },
      { kind: 'record', offset: 100 + RECORD_HEADER_BYTES + 7, time: 2000 },
    ]);
    expect(bodies(frames).map((body) => Buffer.from(body.bytes).toString())).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('should keep the encoding of each body and give the compressed bytes back unchanged', () => {
    const compressed = gzipped(7, 5000);
    const frames = Buffer.concat([encodeRecord(compressed, 1), encodeRecord(text('{"seq":8}'), 2)]);
    const [first, second] = bodies(frames);
    expect(first.encoding).toBe('gzip');
    expect(Buffer.compare(first.bytes, compressed.bytes)).toBe(0);
    expect(seqOf(first)).toBe(7);
    expect(second).toMatchObject({ encoding: 'identity' });
  });

  it('should still read the records of the previous format as plain JSON, also beside new ones', () => {
    // Bytes of encodeRecord(Buffer.from('{"seq":7,"pad":"x"}'), Date.UTC(2026, 0, 1)) in the previous release.
    const written = Buffer.from(
      'ff4f5352000000134279b76daa800000823679287b22736571223a372c22706164223a2278227d',
      'hex',
    );
    expect(encodeLegacyRecord(Buffer.from('{"seq":7,"pad":"x"}'), Date.UTC(2026, 0, 1))).toEqual(written);
    const frames = Buffer.concat([
      written,
      encodeLegacyRecord(Buffer.from('{"seq":8}'), 5),
      encodeRecord(gzipped(9), 6),
    ]);
    const entries = [...parseRecords(frames)];
    expect(entries).toMatchObject([
      { kind: 'record', time: Date.UTC(2026, 0, 1), end: written.length },
      { kind: 'record', time: 5, end: written.length + LEGACY_HEADER_BYTES + 9 },
      { kind: 'record', time: 6, end: frames.length },
    ]);
    expect(bodies(frames).map((body) => [body.encoding, seqOf(body)])).toEqual([
      ['identity', 7],
      ['identity', 8],
      ['gzip', 9],
    ]);
    expect(headerTime(written)).toBe(Date.UTC(2026, 0, 1));
  });

  it('should report a torn last record as incomplete when the bytes stop inside it', () => {
    const first = encodeRecord(text('{"a":1}'), 1);
    const second = encodeRecord(text('{"b":2}'), 2);
    const torn = Buffer.concat([first, second.subarray(0, second.length - 3)]);
    expect([...parseRecords(torn)].map((entry) => entry.kind)).toEqual(['record', 'incomplete']);
  });

  it('should skip a record whose payload changed and find the next one', () => {
    const frames = [1, 2, 3].map((seq) => encodeRecord(text(`{"seq":${seq}}`), seq));
    const damaged = Buffer.concat(frames);
    damaged[frames[0].length + RECORD_HEADER_BYTES + 2] ^= 0x01;
    const entries = [...parseRecords(damaged)];
    expect(entries.map((entry) => entry.kind)).toEqual(['record', 'corrupt', 'record']);
    expect(entries[1]).toMatchObject({ offset: frames[0].length, end: frames[0].length + frames[1].length });
  });

  it('should skip a record whose encoding flag changed', () => {
    const frames = [1, 2, 3].map((seq) => encodeRecord(gzipped(seq), seq));
    const damaged = Buffer.concat(frames);
    damaged[frames[0].length + 19] = 0;
    expect([...parseRecords(damaged)].map((entry) => entry.kind)).toEqual(['record', 'corrupt', 'record']);
  });

  it('should not read a record with flags it does not know rather than send it with a wrong encoding', () => {
    const frame = encodeRecord(gzipped(1), 1);
    frame.writeUInt32BE(2, 16);
    frame.writeUInt32BE(crc32(frame.subarray(RECORD_HEADER_BYTES), crc32(frame.subarray(4, 20))), 20);
    expect([...parseRecords(frame)].map((entry) => entry.kind)).toEqual(['incomplete']);
  });

  it('should skip a header whose length field is garbage', () => {
    const frames = [1, 2].map((seq) => encodeRecord(text(`{"seq":${seq}}`), seq));
    const damaged = Buffer.concat(frames);
    damaged.writeUInt32BE(0x7fffffff, 4);
    expect([...parseRecords(damaged)].map((entry) => entry.kind)).toEqual(['corrupt', 'record']);
  });

  it('should find the next record after damage when compressed bodies hold bytes that look like a header', () => {
    const lookalike = Buffer.concat([
      randomBytes(40),
      Buffer.from([0xff, 0x4f, 0x53, 0x32]),
      randomBytes(40),
    ]);
    const frames = [1, 2, 3].map((seq) =>
      encodeRecord({ bytes: Buffer.concat([lookalike, Buffer.from([seq])]), encoding: 'gzip' }, seq),
    );
    const damaged = Buffer.concat(frames);
    damaged[RECORD_HEADER_BYTES + 3] ^= 0x01;
    expect([...parseRecords(damaged)]).toMatchObject([
      { kind: 'corrupt', offset: 0, end: frames[0].length },
      { kind: 'record', time: 2 },
      { kind: 'record', time: 3 },
    ]);
  });
});
