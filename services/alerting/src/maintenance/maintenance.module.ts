import { Module } from '@nestjs/common';

import { MaintenanceCalendar } from '../shared/ports';
import { MaintenanceCalendarService } from './maintenance-calendar.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceWindowsRpc } from './maintenance-windows.rpc';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/** Maintenance windows: `rpc.alerting.maintenanceWindows.*` and the `MaintenanceCalendar` alerts consult. */
@Module({
  controllers: [MaintenanceWindowsRpc],
  providers: [
    MaintenanceWindowsRepository,
    MaintenanceWindowsService,
    MaintenanceCalendarService,
    { provide: MaintenanceCalendar, useExisting: MaintenanceCalendarService },
  ],
  exports: [MaintenanceCalendar],
})
export class MaintenanceModule {}
