import { Module } from '@nestjs/common';

import { KeysModule } from '../keys/keys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { MfaChallenges } from './mfa-challenges';
import { MfaLoginService } from './mfa-login.service';
import { MfaRepository } from './mfa.repository';
import { MfaRpc } from './mfa.rpc';
import { MfaService } from './mfa.service';

@Module({
  imports: [KeysModule, SessionsModule, TenantsModule, UsersModule],
  controllers: [MfaRpc],
  providers: [MfaRepository, MfaService, MfaChallenges, MfaLoginService],
})
export class MfaModule {}
