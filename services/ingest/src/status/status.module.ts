import { Module } from '@nestjs/common';

import { HostGroupsRepository } from './host-groups.repository';
import { HostGroupsService } from './host-groups.service';
import { PublicStatusRpc } from './public-status.rpc';

/** Public status page summaries of host groups (`rpc.ingest.publicStatus.*`). */
@Module({
  controllers: [PublicStatusRpc],
  providers: [HostGroupsRepository, HostGroupsService],
})
export class StatusModule {}
