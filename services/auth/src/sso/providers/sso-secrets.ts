import { Inject, Injectable } from '@nestjs/common';

import { decryptSecret, encryptSecret } from '@optralis/service-kit';
import { MASTER_KEY } from '../../keys/master-key';

/** Seals SSO secrets (client secrets, pending PKCE verifiers) with the master key of the signing keys. */
@Injectable()
export class SsoSecrets {
  constructor(@Inject(MASTER_KEY) private readonly key: Buffer) {}

  /** `associated` binds the ciphertext to its row, so it cannot be copied to another provider. */
  seal(plaintext: string, associated: string): string {
    return encryptSecret(plaintext, this.key, associated);
  }

  open(sealed: string, associated: string): string {
    return decryptSecret(sealed, this.key, associated);
  }
}
