import type { RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { MaintenanceModule } from './maintenance.module';
import { MaintenanceWindowsRpc } from './maintenance-windows.rpc';

type WindowRequest = RequestOf<'rpc.alerting.maintenanceWindows.create'>['window'];

const MINUTE = 60_000;
/** Whole seconds: recurrences are computed to the second. */
const minutesFromNow = (minutes: number): Date =>
  new Date(Math.floor(Date.now() / 1000) * 1000 + minutes * MINUTE);

const oneOff = (overrides: Partial<WindowRequest> = {}): WindowRequest => ({
  name: 'Kernel upgrade',
  startsAt: minutesFromNow(-10).toISOString(),
  durationMinutes: 60,
  ...overrides,
});

describe(MaintenanceWindowsRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;

  const create = (editor: ReturnType<typeof actor>, window: WindowRequest) =>
    alerting.rpc.call('rpc.alerting.maintenanceWindows.create', { actor: editor, window });

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [MaintenanceModule],
    });
  });

  afterAll(async () => {
    await alerting?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('should create, get, update and delete a window and say whether it covers now', async () => {
    const editor = actor('editor');
    const startsAt = minutesFromNow(-10);

    const created = await create(
      editor,
      oneOff({ startsAt: startsAt.toISOString(), scope: { tags: ['db'] } }),
    );

    const occurrence = {
      start: startsAt.toISOString(),
      end: new Date(startsAt.getTime() + 60 * MINUTE).toISOString(),
    };
    expect(created).toEqual({
      id: expect.any(String),
      tenantId: editor.tenantId,
      name: 'Kernel upgrade',
      description: '',
      enabled: true,
      startsAt: startsAt.toISOString(),
      durationMinutes: 60,
      rrule: null,
      timezone: 'UTC',
      scope: { hostIds: [], tags: ['db'] },
      active: true,
      currentOccurrence: occurrence,
      nextOccurrence: null,
      createdBy: editor.userId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.id;
    const observer = actor('observer', editor.tenantId);
    expect(await alerting.rpc.call('rpc.alerting.maintenanceWindows.get', { actor: observer, id })).toEqual(
      created,
    );

    const later = minutesFromNow(120);
    const moved = await alerting.rpc.call('rpc.alerting.maintenanceWindows.update', {
      actor: editor,
      id,
      changes: { startsAt: later.toISOString(), description: 'moved' },
    });
    expect(moved).toMatchObject({
      description: 'moved',
      active: false,
      currentOccurrence: null,
      nextOccurrence: { start: later.toISOString() },
      scope: { tags: ['db'] },
    });

    const deleted = await alerting.rpc.call('rpc.alerting.maintenanceWindows.delete', { actor: editor, id });
    expect(deleted).toEqual({ id, deleted: true });
    const gone = await rpcFailure(
      alerting.rpc.call('rpc.alerting.maintenanceWindows.get', { actor: editor, id }),
    );
    expect(gone.code).toBe('maintenance_window.not_found');
  });

  it('should never call a disabled window active', async () => {
    const window = await create(actor('editor'), oneOff({ enabled: false }));
    expect(window).toMatchObject({ active: false, currentOccurrence: null, nextOccurrence: null });
  });

  it('should follow a weekly window in Asia/Kolkata to its current and next occurrence', async () => {
    const startsAt = new Date(minutesFromNow(-10).getTime() - 7 * 24 * 60 * MINUTE);

    const window = await create(
      actor('editor'),
      oneOff({
        startsAt: startsAt.toISOString(),
        durationMinutes: 30,
        rrule: 'FREQ=WEEKLY',
        timezone: 'Asia/Kolkata',
      }),
    );

    const week = 7 * 24 * 60 * MINUTE;
    const current = new Date(startsAt.getTime() + week);
    expect(window.active).toBe(true);
    expect(window.currentOccurrence).toEqual({
      start: current.toISOString(),
      end: new Date(current.getTime() + 30 * MINUTE).toISOString(),
    });
    expect(window.nextOccurrence?.start).toBe(new Date(current.getTime() + week).toISOString());
  });

  it('should page through windows and filter them by active', async () => {
    const editor = actor('editor');
    const ids: string[] = [];
    for (const offset of [-5, 30, -1, 90, -20]) {
      ids.push(
        (await create(editor, oneOff({ name: `w${offset}`, startsAt: minutesFromNow(offset).toISOString() })))
          .id,
      );
    }
    await create(actor('editor'), oneOff());

    const pages = async (active?: boolean): Promise<string[][]> => {
      const found: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await alerting.rpc.call('rpc.alerting.maintenanceWindows.list', {
          actor: editor,
          active,
          limit: 2,
          cursor,
        });
        found.push(page.items.map((window) => window.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return found;
    };

    expect((await pages()).flat()).toEqual(ids);
    expect(await pages(true)).toEqual([[ids[0], ids[2]], [ids[4]]]);
    expect(await pages(false)).toEqual([[ids[1], ids[3]]]);
  });

  it.each([
    [{ rrule: 'every sunday please' }, 'rrule: "every sunday please" is not a NAME=VALUE part'],
    [
      { rrule: 'FREQ=SECONDLY' },
      'rrule: FREQ=SECONDLY is not supported; a maintenance window recurs at most every minute',
    ],
    [
      { rrule: 'FREQ=MINUTELY;BYSECOND=0,20,40' },
      'rrule: occurrences more often than once a minute need an end (COUNT or UNTIL)',
    ],
    [
      { timezone: 'Europe/Atlantis' },
      'timezone: "Europe/Atlantis" is not a known time zone (e.g. Europe/Paris, UTC)',
    ],
  ])('should refuse %j with a clear message', async (overrides, message) => {
    const failure = await rpcFailure(create(actor('editor'), oneOff(overrides)));
    expect(failure.code).toBe('invalid_request');
    expect(failure.message).toBe(message);
  });

  it('should validate update changes as a whole window', async () => {
    const editor = actor('editor');
    const { id } = await create(editor, oneOff());
    const update = (changes: Record<string, unknown>) =>
      rpcFailure(alerting.rpc.call('rpc.alerting.maintenanceWindows.update', { actor: editor, id, changes }));

    expect((await update({ rrule: 'FREQ=WEEKLY;BYDAY=FUNDAY' })).message).toMatch(/^rrule: BYDAY takes days/);
    expect((await update({ owner: 'me' })).message).toContain('owner');
    expect((await update({ name: 'x'.repeat(201) })).message).toMatch(/^name: /);
    expect((await update({ durationMinutes: 0 })).code).toBe('invalid_request');
    const raw = await nats.requestRaw<{ ok: boolean; error: { code: string } }>(
      'rpc.alerting.maintenanceWindows.create',
      JSON.stringify({ actor: editor, window: { ...oneOff(), extra: 1 } }),
    );
    expect(raw).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it("should answer maintenance_window.not_found for another tenant's window", async () => {
    const { id } = await create(actor('editor'), oneOff());
    const stranger = actor('admin');
    for (const call of [
      () => alerting.rpc.call('rpc.alerting.maintenanceWindows.get', { actor: stranger, id }),
      () =>
        alerting.rpc.call('rpc.alerting.maintenanceWindows.update', {
          actor: stranger,
          id,
          changes: { enabled: false },
        }),
      () => alerting.rpc.call('rpc.alerting.maintenanceWindows.delete', { actor: stranger, id }),
    ]) {
      const failure = await rpcFailure(call());
      expect(failure.code).toBe('maintenance_window.not_found');
    }
    const listed = await alerting.rpc.call('rpc.alerting.maintenanceWindows.list', { actor: stranger });
    expect(listed.items).toEqual([]);
  });

  it('should refuse writes by an observer', async () => {
    const editor = actor('editor');
    const observer = actor('observer', editor.tenantId);
    const { id } = await create(editor, oneOff());
    for (const call of [
      () => create(observer, oneOff()),
      () =>
        alerting.rpc.call('rpc.alerting.maintenanceWindows.update', {
          actor: observer,
          id,
          changes: { name: 'x' },
        }),
      () => alerting.rpc.call('rpc.alerting.maintenanceWindows.delete', { actor: observer, id }),
    ]) {
      expect((await rpcFailure(call())).code).toBe('forbidden');
    }
  });
});
