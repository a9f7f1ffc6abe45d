import { Module } from '@nestjs/common';

import { HostsController } from './hosts.controller';
import { HostsService } from './hosts.service';

/** Routes answered by services/ingest: hosts and their metrics. */
@Module({ controllers: [HostsController], providers: [HostsService] })
export class FleetModule {}
