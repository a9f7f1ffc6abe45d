import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';

import type { AgentReport } from '@optralis/contracts/agent';

const gzipAsync = promisify(gzip);

export type BodyEncoding = 'gzip' | 'identity';

/** A report's request body exactly as it goes on the wire and into the spool; `encoding` is its Content-Encoding. */
export interface EncodedBody {
  bytes: Uint8Array;
  encoding: BodyEncoding;
}

/** Serialises and compresses a report once: the live send and the spool share the result. */
export async function encodeReport(report: AgentReport): Promise<EncodedBody> {
  // Default level (6): 0.2–0.3 ms of CPU for a 200-sample report, which shrinks to a seventh to a tenth.
  const bytes = await gzipAsync(JSON.stringify(report));
  return { bytes, encoding: 'gzip' };
}

/** The report's JSON text; only where it has to be read (a log line, a test), never on the send path. */
export function decodeBody(body: EncodedBody): Buffer {
  const bytes = Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  return body.encoding === 'gzip' ? gunzipSync(bytes) : bytes;
}
