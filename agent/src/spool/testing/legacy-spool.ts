import { mkdir, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

import { saveCursor } from '../spool-cursor';
import { segmentPath } from '../spool-segment';

/** The record header of agents that spooled plain JSON. */
export const LEGACY_HEADER_BYTES = 20;

/**
 * The previous release's record writer, kept verbatim (magic | length | time | CRC32 | JSON):
 * spools it left behind must still replay after an upgrade.
 */
export function encodeLegacyRecord(payload: Uint8Array, time: number): Buffer {
  const frame = Buffer.allocUnsafe(LEGACY_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(0xff4f5352, 0);
  frame.writeUInt32BE(payload.length, 4);
  frame.writeDoubleBE(time, 8);
  frame.set(payload, LEGACY_HEADER_BYTES);
  frame.writeUInt32BE(crc32(payload, crc32(frame.subarray(4, 16))), 16);
  return frame;
}

/** A spool directory as the previous release leaves it: one segment of JSON records and its cursor. */
export async function writeLegacySpool(input: {
  directory: string;
  reports: { json: Uint8Array; time: number }[];
  /** Records already delivered at the front of the segment. Default 0. */
  acknowledged?: number;
}): Promise<void> {
  const frames = input.reports.map((report) => encodeLegacyRecord(report.json, report.time));
  await mkdir(input.directory, { recursive: true });
  await writeFile(segmentPath(input.directory, 0), Buffer.concat(frames));
  const offset = frames.slice(0, input.acknowledged ?? 0).reduce((sum, frame) => sum + frame.length, 0);
  await saveCursor(input.directory, { segment: 0, offset });
}
