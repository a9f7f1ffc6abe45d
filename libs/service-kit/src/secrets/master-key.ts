import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { Logger } from '@nestjs/common';

const logger = new Logger('MasterKey');

function decode(value: string, source: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 bytes in base64`);
  return key;
}

/**
 * The key that encrypts a service's secrets at rest: a variable (named in errors), else a file created once
 * with mode 0600 (never the database, which would keep the lock and its key together).
 */
export function loadMasterKey(input: { encryptionKey?: string; variable?: string; file: string }): Buffer {
  if (input.encryptionKey) return decode(input.encryptionKey, input.variable ?? 'the encryption key');
  try {
    mkdirSync(dirname(input.file), { recursive: true, mode: 0o700 });
    // `wx` fails when the file exists, so two instances starting together keep the first one's key.
    writeFileSync(input.file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    logger.log({ file: input.file }, 'master key file created');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(input.file).mode & 0o077) !== 0) {
    logger.warn({ file: input.file }, 'master key file is readable by others: chmod 600 it');
  }
  return decode(readFileSync(input.file, 'utf8'), input.file);
}
