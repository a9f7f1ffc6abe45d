import type { MaintenanceWindowInput } from '@optralis/contracts';
import { type Mock, vi } from 'vitest';

import type { ConfigChange, ConfigChanges } from '../shared/config-changes';
import { CALENDAR_REFRESH_MS, MaintenanceCalendarService } from './maintenance-calendar.service';
import type { MaintenanceWindowRecord, MaintenanceWindowsRepository } from './maintenance-windows.repository';

const NOW = new Date('2026-06-01T12:00:00Z');
const host = { hostId: 'web-01', tags: ['web'] };

function windowRecord(id: string, input: Partial<MaintenanceWindowInput> = {}): MaintenanceWindowRecord {
  return {
    id,
    tenantId: 'tenant-a',
    input: {
      name: `window ${id}`,
      description: '',
      enabled: true,
      startsAt: '2026-06-01T11:30:00Z',
      durationMinutes: 60,
      rrule: null,
      timezone: 'UTC',
      scope: { hostIds: [], tags: [] },
      ...input,
    },
    createdBy: 'user-1',
    createdAt: NOW,
    updatedAt: NOW,
  };
}

describe(MaintenanceCalendarService.name, () => {
  function setup() {
    const enabledOf: Mock = vi.fn(() => {
      throw new Error('unexpected call to enabledOf');
    });
    const listeners: ((change: ConfigChange) => void)[] = [];
    const changes = { on: (listener: (change: ConfigChange) => void) => listeners.push(listener) };
    const sut = new MaintenanceCalendarService(
      { enabledOf } as unknown as MaintenanceWindowsRepository,
      changes as unknown as ConfigChanges,
    );
    sut.onModuleInit();
    const announce = (change: ConfigChange) => listeners.forEach((listener) => listener(change));
    return { sut, enabledOf, announce };
  }

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should answer with the covering window and its occurrence end', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValue([windowRecord('a')]);

    expect(await sut.suppressing('tenant-a', host, NOW)).toEqual({
      windowId: 'a',
      name: 'window a',
      endsAt: new Date('2026-06-01T12:30:00Z'),
    });
    expect(enabledOf).toHaveBeenCalledWith('tenant-a');
  });

  it('should pick the window that ends last when several cover the host', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValue([
      windowRecord('short'),
      windowRecord('long', { durationMinutes: 240 }),
      windowRecord('elsewhere', { durationMinutes: 600, scope: { hostIds: ['db-01'], tags: [] } }),
    ]);

    expect((await sut.suppressing('tenant-a', host, NOW))?.windowId).toBe('long');
  });

  it('should read the windows once for many calls within the refresh interval', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValue([windowRecord('a')]);

    await Promise.all([sut.suppressing('tenant-a', host, NOW), sut.suppressing('tenant-a', host, NOW)]);
    vi.advanceTimersByTime(CALENDAR_REFRESH_MS - 1);
    await sut.suppressing('tenant-a', host, new Date());

    expect(enabledOf).toHaveBeenCalledTimes(1);
  });

  it('should reload after the refresh interval', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValueOnce([windowRecord('a')]).mockResolvedValueOnce([]);

    expect(await sut.suppressing('tenant-a', host, NOW)).not.toBeNull();
    vi.advanceTimersByTime(CALENDAR_REFRESH_MS);
    expect(await sut.suppressing('tenant-a', host, new Date())).toBeNull();
    expect(enabledOf).toHaveBeenCalledTimes(2);
  });

  it('should reload a tenant at once on its maintenance change, and only then', async () => {
    const { sut, enabledOf, announce } = setup();
    enabledOf.mockResolvedValue([]);
    await sut.suppressing('tenant-a', host, NOW);

    announce({ kind: 'rules', tenantId: 'tenant-a' });
    announce({ kind: 'maintenance', tenantId: 'tenant-b' });
    await sut.suppressing('tenant-a', host, NOW);
    expect(enabledOf).toHaveBeenCalledTimes(1);

    enabledOf.mockResolvedValue([windowRecord('a')]);
    announce({ kind: 'maintenance', tenantId: 'tenant-a' });
    expect((await sut.suppressing('tenant-a', host, NOW))?.windowId).toBe('a');
    expect(enabledOf).toHaveBeenCalledTimes(2);
  });

  it('should keep answering from the last calendar when a reload fails', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValueOnce([windowRecord('a')]).mockRejectedValueOnce(new Error('database down'));

    await sut.suppressing('tenant-a', host, NOW);
    vi.advanceTimersByTime(CALENDAR_REFRESH_MS);
    expect((await sut.suppressing('tenant-a', host, new Date()))?.windowId).toBe('a');
  });

  it('should fail while no calendar was ever loaded, and try again on the next call', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockRejectedValueOnce(new Error('database down')).mockResolvedValueOnce([]);

    await expect(sut.suppressing('tenant-a', host, NOW)).rejects.toThrow('database down');
    expect(await sut.suppressing('tenant-a', host, NOW)).toBeNull();
  });

  it('should answer for a moment far from the load time from the recurrence', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValue([windowRecord('weekly', { rrule: 'FREQ=WEEKLY' })]);

    const nextWeek = new Date('2026-06-08T11:45:00Z');
    expect(await sut.suppressing('tenant-a', host, nextWeek)).toMatchObject({
      windowId: 'weekly',
      endsAt: new Date('2026-06-08T12:30:00Z'),
    });
  });

  it('should skip a stored window whose schedule no longer compiles', async () => {
    const { sut, enabledOf } = setup();
    enabledOf.mockResolvedValue([windowRecord('broken', { timezone: 'Gone/Zone' }), windowRecord('a')]);

    expect((await sut.suppressing('tenant-a', host, NOW))?.windowId).toBe('a');
  });
});
