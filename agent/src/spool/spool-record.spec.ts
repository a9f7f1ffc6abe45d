import { encodeRecord, parseRecords, RECORD_HEADER_BYTES } from './spool-record';

const text = (value: string) => Buffer.from(value, 'utf8');

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
    expect(entries.map((entry) => (entry.kind === 'record' ? entry.payload.toString() : ''))).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
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

  it('should skip a header whose length field is garbage', () => {
    const frames = [1, 2].map((seq) => encodeRecord(text(`{"seq":${seq}}`), seq));
    const damaged = Buffer.concat(frames);
    damaged.writeUInt32BE(0x7fffffff, 4);
    expect([...parseRecords(damaged)].map((entry) => entry.kind)).toEqual(['corrupt', 'record']);
  });
});
