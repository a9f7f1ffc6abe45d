import { crc32 } from 'node:zlib';

/** magic (4) | payload length (4) | record time, epoch ms as float64 (8) | CRC32 of length, time and payload (4) */
export const RECORD_HEADER_BYTES = 20;
/** Larger than any report ingest accepts (10 MiB body by default); a longer length field is garbage. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

// 0xFF never occurs in UTF-8, so the magic cannot appear inside a JSON payload: scanning for it after
// damage finds record starts only.
const MAGIC = 0xff4f5352;
const MAGIC_BYTES = Buffer.from([0xff, 0x4f, 0x53, 0x52]);

export interface DecodedRecord {
  offset: number;
  end: number;
  time: number;
  payload: Buffer;
}

export type ParsedEntry =
  | ({ kind: 'record' } & DecodedRecord)
  /** Damaged bytes from `offset` up to the next valid record at `end`. */
  | { kind: 'corrupt'; offset: number; end: number }
  /** Nothing valid from `offset` to the end of what was read: a torn tail, or a record longer than the chunk. */
  | { kind: 'incomplete'; offset: number };

export function encodeRecord(payload: Uint8Array, time: number): Buffer {
  const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(MAGIC, 0);
  frame.writeUInt32BE(payload.length, 4);
  frame.writeDoubleBE(time, 8);
  frame.set(payload, RECORD_HEADER_BYTES);
  frame.writeUInt32BE(checksum(frame, 0, payload), 16);
  return frame;
}

/** The records of `buffer`, whose first byte sits at file offset `base`, with damaged stretches skipped. */
export function* parseRecords(buffer: Buffer, base = 0): Generator<ParsedEntry> {
  let offset = 0;
  while (offset < buffer.length) {
    const record = decodeAt(buffer, offset);
    if (record !== undefined) {
      yield { kind: 'record', ...record, offset: base + offset, end: base + record.end };
      offset = record.end;
      continue;
    }
    const next = resynchronise(buffer, offset + 1);
    if (next === undefined) {
      yield { kind: 'incomplete', offset: base + offset };
      return;
    }
    yield { kind: 'corrupt', offset: base + offset, end: base + next };
    offset = next;
  }
}

/** The record time in a header, or undefined when the bytes are not a plausible header. */
export function headerTime(header: Buffer): number | undefined {
  if (header.length < RECORD_HEADER_BYTES || header.readUInt32BE(0) !== MAGIC) return undefined;
  return header.readDoubleBE(8);
}

function decodeAt(buffer: Buffer, offset: number): DecodedRecord | undefined {
  if (buffer.length - offset < RECORD_HEADER_BYTES || buffer.readUInt32BE(offset) !== MAGIC) return undefined;
  const length = buffer.readUInt32BE(offset + 4);
  const end = offset + RECORD_HEADER_BYTES + length;
  if (length > MAX_PAYLOAD_BYTES || end > buffer.length) return undefined;
  const payload = buffer.subarray(offset + RECORD_HEADER_BYTES, end);
  if (checksum(buffer, offset, payload) !== buffer.readUInt32BE(offset + 16)) return undefined;
  return { offset, end, time: buffer.readDoubleBE(offset + 8), payload };
}

function checksum(frame: Buffer, offset: number, payload: Uint8Array): number {
  return crc32(payload, crc32(frame.subarray(offset + 4, offset + 16)));
}

function resynchronise(buffer: Buffer, from: number): number | undefined {
  for (let at = buffer.indexOf(MAGIC_BYTES, from); at !== -1; at = buffer.indexOf(MAGIC_BYTES, at + 1)) {
    if (decodeAt(buffer, at) !== undefined) return at;
  }
  return undefined;
}
