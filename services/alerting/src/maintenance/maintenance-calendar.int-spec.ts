import { randomUUID } from 'node:crypto';

import type { RequestOf } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, type AlertingTestApp, startAlertingTestApp } from '../../test/alerting-test-app';
import { MaintenanceCalendar } from '../shared/ports';
import { MaintenanceCalendarService } from './maintenance-calendar.service';
import { MaintenanceModule } from './maintenance.module';

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

describe(MaintenanceCalendarService.name, () => {
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

  const web = { hostId: 'web-01', tags: ['prod', 'web'] };
  const db = { hostId: 'db-01', tags: ['prod', 'db'] };

  it('should suppress the hosts in scope while a window covers the moment', async () => {
    const editor = actor('editor');
    const calendar = alerting.app.get(MaintenanceCalendar);
    const startsAt = minutesFromNow(-10);
    const patch = await create(
      editor,
      oneOff({ name: 'web patch', startsAt: startsAt.toISOString(), scope: { tags: ['web'] } }),
    );
    const later = await create(
      editor,
      oneOff({ startsAt: minutesFromNow(70).toISOString(), scope: { hostIds: ['db-01'] } }),
    );

    const now = new Date();
    expect(await calendar.suppressing(editor.tenantId, web, now)).toEqual({
      windowId: patch.id,
      name: 'web patch',
      endsAt: new Date(startsAt.getTime() + 60 * MINUTE),
    });
    expect(await calendar.suppressing(editor.tenantId, db, now)).toBeNull();
    expect(await calendar.suppressing(editor.tenantId, web, minutesFromNow(80))).toBeNull();
    expect(await calendar.suppressing(editor.tenantId, db, minutesFromNow(80))).toMatchObject({
      windowId: later.id,
    });
    expect(await calendar.suppressing(randomUUID(), web, now)).toBeNull();
  });

  it('should see an update at once, not at its next refresh', async () => {
    const editor = actor('editor');
    const calendar = alerting.app.get(MaintenanceCalendar);
    const { id } = await create(editor, oneOff({ startsAt: minutesFromNow(60).toISOString() }));
    expect(await calendar.suppressing(editor.tenantId, db, new Date())).toBeNull();

    await alerting.rpc.call('rpc.alerting.maintenanceWindows.update', {
      actor: editor,
      id,
      changes: { startsAt: minutesFromNow(-1).toISOString() },
    });
    await expectEventually(async () =>
      expect(await calendar.suppressing(editor.tenantId, db, new Date())).toMatchObject({ windowId: id }),
    );

    await alerting.rpc.call('rpc.alerting.maintenanceWindows.update', {
      actor: editor,
      id,
      changes: { enabled: false },
    });
    await expectEventually(async () =>
      expect(await calendar.suppressing(editor.tenantId, db, new Date())).toBeNull(),
    );
  });
});
