import { Writable } from 'node:stream';

import type { OutputStream } from '../cli-context';

export interface CapturedOutput extends OutputStream {
  text(): string;
}

/** A stdout or stderr that keeps what was written. */
export function capturedOutput(options: { isTTY?: boolean; columns?: number } = {}): CapturedOutput {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  }) as Writable & CapturedOutput;
  stream.isTTY = options.isTTY;
  stream.columns = options.columns;
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}
