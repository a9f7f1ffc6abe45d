import { Module } from '@nestjs/common';

import { AUTH_CONFIG, type AuthConfig } from '../shared/auth-config';
import { KeysRepository } from './keys.repository';
import { KeysRpc } from './keys.rpc';
import { KeysService } from './keys.service';
import { loadMasterKey } from '@optralis/service-kit';

import { MASTER_KEY } from './master-key';

@Module({
  controllers: [KeysRpc],
  providers: [
    KeysRepository,
    KeysService,
    {
      provide: MASTER_KEY,
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig) =>
        loadMasterKey({
          encryptionKey: config.AUTH_KEY_ENCRYPTION_KEY,
          variable: 'AUTH_KEY_ENCRYPTION_KEY',
          file: config.AUTH_MASTER_KEY_FILE,
        }),
    },
  ],
  exports: [KeysService, MASTER_KEY],
})
export class KeysModule {}
