import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { StatusPageRepository } from './status-page.repository';
import { StatusPageRpc } from './status-page.rpc';
import { StatusPageService } from './status-page.service';

/** The public status page's configuration and `rpc.auth.statusPage.*`; needs IdentityModule (audit trail). */
@Module({
  imports: [TenantsModule],
  controllers: [StatusPageRpc],
  providers: [StatusPageRepository, StatusPageService],
})
export class StatusPageModule {}
