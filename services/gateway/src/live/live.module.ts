import { Module } from '@nestjs/common';

import { LiveEventsController } from './live-events.controller';
import { LiveEventsService } from './live-events.service';

/** `GET /api/v1/events`: the tenant's alert changes and host status as server-sent events. */
@Module({ controllers: [LiveEventsController], providers: [LiveEventsService] })
export class LiveModule {}
