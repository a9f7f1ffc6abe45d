import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { BootstrapRepository } from './bootstrap.repository';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [TenantsModule, UsersModule],
  providers: [BootstrapRepository, BootstrapService],
  exports: [BootstrapService],
})
export class BootstrapModule {}
