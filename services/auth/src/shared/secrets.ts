import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: refresh tokens, invitations. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A password nobody chose: 20 characters from an unambiguous alphabet (about 117 bits). */
export function generatedPassword(length = 20): string {
  const bytes = randomBytes(length * 2);
  let result = '';
  for (const byte of bytes) {
    // 224 is the largest multiple of 56 below 256: no modulo bias.
    if (byte < 224) result += ALPHABET[byte % ALPHABET.length];
    if (result.length === length) break;
  }
  return result.length === length ? result : generatedPassword(length);
}
