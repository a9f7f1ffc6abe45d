import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { HostScope } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';

import { ConfigChanges } from '../shared/config-changes';
import { MaintenanceCalendar, type SuppressingWindow } from '../shared/ports';
import { coversHost, type ScopedHost } from './host-scope';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { type Occurrence, type Recurrence, recurrenceOf, timingOf } from './recurrence';

export const CALENDAR_REFRESH_MS = 30_000;
/** Occurrences computed at load around the load time; calls inside that span never run rrule. */
const SPAN_MS = 5 * 60_000;

interface CalendarWindow {
  id: string;
  name: string;
  scope: HostScope;
  recurrence: Recurrence;
  occurrences: Occurrence[];
}

interface TenantCalendar {
  from: number;
  to: number;
  windows: CalendarWindow[];
}

interface CalendarEntry {
  loadedAt: number;
  calendar: Promise<TenantCalendar>;
}

/** The enabled windows of each tenant asked about, reloaded on a `maintenance` change and every 30 s. */
@Injectable()
export class MaintenanceCalendarService implements MaintenanceCalendar, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MaintenanceCalendarService.name);
  private readonly calendars = new Map<string, CalendarEntry>();
  private stopListening?: () => void;

  constructor(
    private readonly repository: MaintenanceWindowsRepository,
    private readonly changes: ConfigChanges,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.changes.on((change) => {
      if (change.kind === 'maintenance') this.calendars.delete(change.tenantId);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  async suppressing(tenantId: string, host: ScopedHost, at: Date): Promise<SuppressingWindow | null> {
    const calendar = await this.calendarOf(tenantId);
    const time = at.getTime();
    const precomputed = time >= calendar.from && time <= calendar.to;
    let found: SuppressingWindow | null = null;
    for (const window of calendar.windows) {
      if (!coversHost(window.scope, host)) continue;
      const occurrence = precomputed
        ? window.occurrences.findLast((candidate) => candidate.start <= at && candidate.end > at)
        : window.recurrence.covering(at);
      if (occurrence && (!found || occurrence.end > found.endsAt)) {
        found = { windowId: window.id, name: window.name, endsAt: occurrence.end };
      }
    }
    return found;
  }

  /** A failed reload keeps answering from the previous calendar (and retries on the next call). */
  private calendarOf(tenantId: string): Promise<TenantCalendar> {
    const entry = this.calendars.get(tenantId);
    if (entry && Date.now() - entry.loadedAt < CALENDAR_REFRESH_MS) return entry.calendar;
    const reload: CalendarEntry = {
      loadedAt: Date.now(),
      calendar: this.load(tenantId).catch((error: unknown) => {
        if (this.calendars.get(tenantId) === reload) {
          if (entry) this.calendars.set(tenantId, entry);
          else this.calendars.delete(tenantId);
        }
        if (!entry) throw error;
        this.logger.warn({ tenantId, error: (error as Error).message }, 'maintenance windows not reloaded');
        return entry.calendar;
      }),
    };
    this.calendars.set(tenantId, reload);
    return reload.calendar;
  }

  private async load(tenantId: string): Promise<TenantCalendar> {
    const loadedAt = Date.now();
    const [from, to] = [new Date(loadedAt - SPAN_MS), new Date(loadedAt + SPAN_MS)];
    const windows: CalendarWindow[] = [];
    for (const record of await this.repository.enabledOf(asTenantId(tenantId))) {
      try {
        const recurrence = recurrenceOf(timingOf(record.input));
        const { name, scope } = record.input;
        windows.push({
          id: record.id,
          name,
          scope,
          recurrence,
          occurrences: recurrence.overlapping(from, to),
        });
      } catch (error) {
        this.logger.warn(
          { tenantId, windowId: record.id, error: (error as Error).message },
          'window skipped',
        );
      }
    }
    return { from: from.getTime(), to: to.getTime(), windows };
  }
}
