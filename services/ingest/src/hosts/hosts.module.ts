import { Module } from '@nestjs/common';

import { HostAuditTrail } from './host-audit';
import { HOST_REPOSITORY } from './host.repository';
import { HostsRpc } from './hosts.rpc';
import { HostsService } from './hosts.service';
import { PostgresHostRepository } from './postgres-host.repository';
import { ReplyBudget } from './reply-budget';

/** The host registry and its `rpc.ingest.hosts.*` handlers; lends its repository and reply budget to queries. */
@Module({
  controllers: [HostsRpc],
  providers: [
    { provide: HOST_REPOSITORY, useClass: PostgresHostRepository },
    HostAuditTrail,
    HostsService,
    ReplyBudget,
  ],
  exports: [HOST_REPOSITORY, HostsService, ReplyBudget],
})
export class HostsModule {}
