import { Controller, Get } from '@nestjs/common';

import { type SystemStatus, SystemStatusService } from './system-status.service';

@Controller('api/v1/system')
export class SystemStatusController {
  constructor(private readonly systemStatus: SystemStatusService) {}

  @Get('status')
  async status(): Promise<SystemStatus> {
    return this.systemStatus.status();
  }
}
