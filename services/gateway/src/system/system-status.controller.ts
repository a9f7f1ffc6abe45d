import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { type ResponseOf, Route } from '../openapi/route-definition';
import { systemStatusRoute } from './system-status.routes';
import { SystemStatusService } from './system-status.service';

@ApiTags('System')
@Controller('api/v1/system')
export class SystemStatusController {
  constructor(private readonly systemStatus: SystemStatusService) {}

  @Route(systemStatusRoute)
  async status(): Promise<ResponseOf<typeof systemStatusRoute>> {
    return this.systemStatus.status();
  }
}
