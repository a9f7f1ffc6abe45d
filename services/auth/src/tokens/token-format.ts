import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

import { API_TOKEN_PATTERN, INGEST_TOKEN_PATTERN } from '@optralis/contracts';

export type TokenKind = 'api' | 'ingest';

export interface IssuedToken {
  kind: TokenKind;
  /** `opt_api_<id>` / `opt_ing_<id>`: stored in clear, identifies the token in lists and logs. */
  prefix: string;
  /** The whole secret, shown once. */
  token: string;
  hash: Buffer;
}

const KIND_TAG: Record<TokenKind, string> = { api: 'api', ingest: 'ing' };
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 8;
const SECRET_BYTES = 24;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time: a forged secret with a real prefix learns nothing from the answer's timing. */
export function hashMatches(token: string, stored: Buffer): boolean {
  const candidate = hashToken(token);
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

export function issueToken(kind: TokenKind): IssuedToken {
  let id = '';
  for (let index = 0; index < ID_LENGTH; index++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  const prefix = `opt_${KIND_TAG[kind]}_${id}`;
  const token = `${prefix}_${randomBytes(SECRET_BYTES).toString('hex')}`;
  return { kind, prefix, token, hash: hashToken(token) };
}

/** A token someone supplied (the bootstrap variable): same storage as an issued one. */
export function adoptToken(token: string): IssuedToken {
  const parsed = parseToken(token);
  if (!parsed) throw new Error('token does not have the opt_api_/opt_ing_ format');
  return { ...parsed, token, hash: hashToken(token) };
}

export function parseToken(token: string): { kind: TokenKind; prefix: string } | undefined {
  if (token.length !== 8 + ID_LENGTH + 1 + SECRET_BYTES * 2) return undefined;
  const kind = API_TOKEN_PATTERN.test(token)
    ? 'api'
    : INGEST_TOKEN_PATTERN.test(token)
      ? 'ingest'
      : undefined;
  if (!kind) return undefined;
  return { kind, prefix: token.slice(0, 8 + ID_LENGTH) };
}
