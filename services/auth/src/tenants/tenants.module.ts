import { Module } from '@nestjs/common';

import { TenantsRepository } from './tenants.repository';
import { TenantsRpc } from './tenants.rpc';
import { TenantsService } from './tenants.service';

@Module({
  controllers: [TenantsRpc],
  providers: [TenantsRepository, TenantsService],
  exports: [TenantsRepository],
})
export class TenantsModule {}
