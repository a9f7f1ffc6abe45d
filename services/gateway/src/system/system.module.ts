import { Module } from '@nestjs/common';

import { SystemStatusController } from './system-status.controller';
import { SystemStatusService } from './system-status.service';

@Module({
  controllers: [SystemStatusController],
  providers: [SystemStatusService],
})
export class SystemModule {}
