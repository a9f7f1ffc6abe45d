import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

import { randomToken } from './secrets';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verify, so an unknown email cannot be told apart by timing. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomToken());
    await this.verify(await this.dummy, password);
    return false;
  }
}
