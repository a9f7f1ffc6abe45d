import { Module } from '@nestjs/common';

import { PublicIncidentsRepository } from './public-incidents.repository';
import { PublicIncidentsService } from './public-incidents.service';
import { PublicStatusRpc } from './public-status.rpc';

/** Open incidents for public status pages (`rpc.alerting.publicStatus.*`). */
@Module({
  controllers: [PublicStatusRpc],
  providers: [PublicIncidentsRepository, PublicIncidentsService],
})
export class StatusModule {}
