import { Module } from '@nestjs/common';

import { KeysModule } from '../keys/keys.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { SessionsRepository } from './sessions.repository';
import { SessionsRpc } from './sessions.rpc';
import { SessionsService } from './sessions.service';

@Module({
  imports: [KeysModule, TenantsModule, UsersModule],
  controllers: [SessionsRpc],
  providers: [SessionsRepository, SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
