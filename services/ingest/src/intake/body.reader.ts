import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

import { IntakeError } from './intake.errors';

const gunzipAsync = promisify(gunzip);

/** Undoes `Content-Encoding: gzip` with a ceiling on the output, so a gzip bomb costs at most that much. */
export async function decodeBody(input: {
  body: Buffer;
  contentEncoding: string | undefined;
  maxDecompressedBytes: number;
}): Promise<Buffer> {
  const encoding = (input.contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return input.body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new IntakeError(
      415,
      'Unsupported content encoding',
      `Content-Encoding "${encoding}" is not supported; use gzip or none`,
    );
  }
  try {
    return await gunzipAsync(input.body, { maxOutputLength: input.maxDecompressedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IntakeError(
        413,
        'Payload too large',
        `the body decompresses to more than ${input.maxDecompressedBytes} bytes`,
      );
    }
    throw new IntakeError(
      400,
      'Invalid metrics payload',
      `the body is not valid gzip: ${(error as Error).message}`,
    );
  }
}
