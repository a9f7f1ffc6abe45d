import { crc32 } from 'node:zlib';

import type { BodyEncoding, EncodedBody } from '../transport/encoded-body';

/**
 * A record is a header followed by a report's request body. Two layouts, told apart by the magic;
 * the CRC32 is the last header field and covers the header after the magic, then the body.
 *   v2 `FF 4F 53 32`: magic (4) | body length (4) | record time, epoch ms as float64 (8) | flags (4) | CRC32 (4)
 *   v1 `FF 4F 53 52`: magic (4) | body length (4) | record time (8) | CRC32 (4) — plain JSON; written
 *   by agents before bodies were stored compressed, read so that an upgrade replays what they left.
 * The flags hold the body's encoding, 0 identity or 1 gzip; a record with any other value is not read,
 * as sending it with a wrong Content-Encoding would only get it refused.
 */
export const RECORD_HEADER_BYTES = 24;
/** Larger than any report ingest accepts (10 MiB body by default); a longer length field is garbage. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

const MAGIC_V2 = 0xff4f5332;
const MAGIC_V1 = 0xff4f5352;
const LAYOUTS = new Map([
  [MAGIC_V2, { headerBytes: RECORD_HEADER_BYTES, flags: true }],
  [MAGIC_V1, { headerBytes: 20, flags: false }],
]);
// 0xFF never occurs in UTF-8, so JSON bodies cannot hold this prefix; a gzip body can, and there the
// checksum tells a real record start from a chance match when scanning after damage.
const MAGIC_PREFIX = Buffer.from([0xff, 0x4f, 0x53]);
const ENCODINGS: readonly BodyEncoding[] = ['identity', 'gzip'];
const TIME_AT = 8;

export interface DecodedRecord {
  offset: number;
  end: number;
  time: number;
  body: EncodedBody;
}

export type ParsedEntry =
  | ({ kind: 'record' } & DecodedRecord)
  /** Damaged bytes from `offset` up to the next valid record at `end`. */
  | { kind: 'corrupt'; offset: number; end: number }
  /** Nothing valid from `offset` to the end of what was read: a torn tail, or a record longer than the chunk. */
  | { kind: 'incomplete'; offset: number };

export function encodeRecord(body: EncodedBody, time: number): Buffer {
  const crcAt = RECORD_HEADER_BYTES - 4;
  const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + body.bytes.length);
  frame.writeUInt32BE(MAGIC_V2, 0);
  frame.writeUInt32BE(body.bytes.length, 4);
  frame.writeDoubleBE(time, TIME_AT);
  frame.writeUInt32BE(ENCODINGS.indexOf(body.encoding), 16);
  frame.set(body.bytes, RECORD_HEADER_BYTES);
  frame.writeUInt32BE(checksum(frame, 0, crcAt, body.bytes), crcAt);
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

/** The record time in the first bytes of a record (16 suffice), or undefined when they are not a plausible header. */
export function headerTime(header: Buffer): number | undefined {
  if (header.length < TIME_AT + 8 || !LAYOUTS.has(header.readUInt32BE(0))) return undefined;
  return header.readDoubleBE(TIME_AT);
}

function decodeAt(buffer: Buffer, offset: number): DecodedRecord | undefined {
  if (buffer.length - offset < 4) return undefined;
  const layout = LAYOUTS.get(buffer.readUInt32BE(offset));
  if (layout === undefined || buffer.length - offset < layout.headerBytes) return undefined;
  const length = buffer.readUInt32BE(offset + 4);
  const end = offset + layout.headerBytes + length;
  if (length > MAX_PAYLOAD_BYTES || end > buffer.length) return undefined;
  const encoding = layout.flags ? ENCODINGS[buffer.readUInt32BE(offset + 16)] : 'identity';
  if (encoding === undefined) return undefined;
  const bytes = buffer.subarray(offset + layout.headerBytes, end);
  const crcAt = offset + layout.headerBytes - 4;
  if (checksum(buffer, offset, crcAt, bytes) !== buffer.readUInt32BE(crcAt)) return undefined;
  return { offset, end, time: buffer.readDoubleBE(offset + TIME_AT), body: { bytes, encoding } };
}

function checksum(frame: Buffer, offset: number, crcAt: number, body: Uint8Array): number {
  return crc32(body, crc32(frame.subarray(offset + 4, crcAt)));
}

function resynchronise(buffer: Buffer, from: number): number | undefined {
  for (let at = buffer.indexOf(MAGIC_PREFIX, from); at !== -1; at = buffer.indexOf(MAGIC_PREFIX, at + 1)) {
    if (decodeAt(buffer, at) !== undefined) return at;
  }
  return undefined;
}
