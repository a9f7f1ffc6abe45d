import { createHash } from 'node:crypto';

import { MAX_ID_LENGTH } from '@optralis/contracts';

import { SUBJECT_CHARACTERS } from './character-set';

export interface HostIdentity {
  /** Safe as one NATS subject token. */
  id: string;
  /** The value the sender used, for people. */
  name: string;
}

const HOST_NAME_LENGTH = 255;
const DIGEST_LENGTH = 16;
const KEPT_LENGTH = MAX_ID_LENGTH - DIGEST_LENGTH - 1;

/** Maps any non-empty value to a subject-safe host id: other characters become `_`, long values keep a digest. */
export function hostIdentity(value: string): HostIdentity {
  let id = value;
  for (let index = 0; index < value.length; index++) {
    if (!SUBJECT_CHARACTERS.has(value.charCodeAt(index))) {
      id = replaceUnsafe(value);
      break;
    }
  }
  if (id.length > MAX_ID_LENGTH) {
    const digest = createHash('sha256').update(value).digest('hex').slice(0, DIGEST_LENGTH);
    id = `${id.slice(0, KEPT_LENGTH)}-${digest}`;
  }
  const name = value.length > HOST_NAME_LENGTH ? value.slice(0, HOST_NAME_LENGTH) : value;
  return { id, name };
}

function replaceUnsafe(value: string): string {
  let result = '';
  for (let index = 0; index < value.length; index++) {
    result += SUBJECT_CHARACTERS.has(value.charCodeAt(index)) ? value[index] : '_';
  }
  return result;
}

/** Remembers the identities already computed in one request: hosts repeat on almost every line. */
export class HostIdentities {
  private readonly known = new Map<string, HostIdentity>();

  of(value: string): HostIdentity {
    let identity = this.known.get(value);
    if (identity === undefined) {
      identity = hostIdentity(value);
      this.known.set(value, identity);
    }
    return identity;
  }
}
