import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Small state files are padded to this width so that a full disk can still take an in-place overwrite. */
const SMALL_FILE_BYTES = 64;
const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Replaces `path` with `data` so that a crash at any point leaves either the old or the new
 * content: write a temporary file, fsync it, rename it over the target, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * A cursor or a high-water mark (JSON of a few dozen bytes). When the disk is full and the atomic
 * replacement cannot allocate its temporary file, the existing file is overwritten in place: its
 * blocks are already allocated, and a write this small within one sector is not torn in practice.
 */
export async function writeSmallFile(path: string, json: string): Promise<void> {
  const padded = json.padEnd(SMALL_FILE_BYTES, ' ');
  try {
    await writeFileAtomic(path, padded);
  } catch (error) {
    if (!OUT_OF_SPACE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    const handle = await open(path, 'r+').catch(() => {
      throw error;
    });
    try {
      await handle.write(padded, 0, 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

/** Makes a created, renamed or deleted entry of `directory` survive a power cut. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
