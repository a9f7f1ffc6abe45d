import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { CredentialsService } from './credentials.service';
import { UsersRepository } from './users.repository';
import { UsersRpc } from './users.rpc';
import { UsersService } from './users.service';

@Module({
  imports: [TenantsModule],
  controllers: [UsersRpc],
  providers: [UsersRepository, UsersService, CredentialsService],
  exports: [UsersRepository, CredentialsService],
})
export class UsersModule {}
