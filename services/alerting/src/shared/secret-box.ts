import { Inject, Injectable } from '@nestjs/common';
import { decryptSecret, encryptSecret, loadMasterKey } from '@optralis/service-kit';

import { ALERTING_CONFIG } from '../alerting.config.provider';
import type { AlertingConfig } from '../config';

/** Seals channel and SMTP secrets with the alerting master key; the associated data binds a row. */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(ALERTING_CONFIG) config: AlertingConfig) {
    this.key = loadMasterKey({
      encryptionKey: config.ALERTING_SECRET_KEY,
      variable: 'ALERTING_SECRET_KEY',
      file: config.ALERTING_MASTER_KEY_FILE,
    });
  }

  seal(plaintext: string, associated: string): string {
    return encryptSecret(plaintext, this.key, associated);
  }

  open(sealed: string, associated: string): string {
    return decryptSecret(sealed, this.key, associated);
  }
}
