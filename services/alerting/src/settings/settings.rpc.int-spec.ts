import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { actor, type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { TenantSettingsSource } from '../shared/ports';
import { SettingsModule } from './settings.module';
import { SettingsRpc } from './settings.rpc';

const smtp = {
  host: 'smtp.example.com',
  port: 465,
  secure: true,
  username: 'alerts',
  password: 'correct horse battery staple',
  from: 'alerts@example.com',
};

describe(SettingsRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;
  let source: TenantSettingsSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [SettingsModule],
    });
    source = alerting.app.get(TenantSettingsSource);
  });

  afterAll(async () => {
    await alerting?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('should answer the defaults for a tenant that set nothing', async () => {
    const observer = actor('observer');

    expect(await alerting.rpc.call('rpc.alerting.settings.get', { actor: observer })).toEqual({
      tenantId: observer.tenantId,
      smtp: null,
      anomaly: { zWarning: 2, zCritical: 3, alpha: 0.3, warmupSamples: 30 },
      flapping: { windowSeconds: 600, maxTransitions: 6 },
      updatedAt: null,
    });
    expect(await source.anomaly(observer.tenantId)).toEqual({
      zWarning: 2,
      zCritical: 3,
      alpha: 0.3,
      warmupSamples: 30,
    });
    expect(await source.smtp(observer.tenantId)).toBeNull();
  });

  it('should store the SMTP password sealed and never return it', async () => {
    const admin = actor('admin');

    const updated = await alerting.rpc.call('rpc.alerting.settings.update', { actor: admin, smtp });

    expect(updated.smtp).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      username: 'alerts',
      from: 'alerts@example.com',
      passwordSet: true,
    });
    expect(JSON.stringify(updated)).not.toContain(smtp.password);
    const [row]: { smtp: unknown; sealed_smtp_password: string }[] = await alerting.app
      .get(DataSource)
      .query(
        `SELECT "smtp", "sealed_smtp_password" FROM "alerting"."tenant_settings" WHERE "tenant_id" = $1`,
        [admin.tenantId],
      );
    expect(JSON.stringify(row)).not.toContain('horse');
    expect(await source.smtp(admin.tenantId)).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      username: 'alerts',
      from: 'alerts@example.com',
      password: smtp.password,
    });
  });

  it('should keep the stored password when an update leaves it out, and drop the server on smtp: null', async () => {
    const admin = actor('owner');
    await alerting.rpc.call('rpc.alerting.settings.update', { actor: admin, smtp });
    const { password: _left, ...withoutPassword } = smtp;

    const moved = await alerting.rpc.call('rpc.alerting.settings.update', {
      actor: admin,
      smtp: { ...withoutPassword, host: 'mail.example.com' },
    });
    expect(moved.smtp).toMatchObject({ host: 'mail.example.com', passwordSet: true });
    await expectEventually(async () =>
      expect(await source.smtp(admin.tenantId)).toMatchObject({
        host: 'mail.example.com',
        password: smtp.password,
      }),
    );

    const cleared = await alerting.rpc.call('rpc.alerting.settings.update', {
      actor: admin,
      smtp: { ...withoutPassword, password: '' },
    });
    expect(cleared.smtp?.passwordSet).toBe(false);

    const removed = await alerting.rpc.call('rpc.alerting.settings.update', { actor: admin, smtp: null });
    expect(removed.smtp).toBeNull();
    await expectEventually(async () => expect(await source.smtp(admin.tenantId)).toBeNull());
  });

  it('should change anomaly and flapping settings without touching SMTP, and reach the cached source', async () => {
    const admin = actor('admin');
    await alerting.rpc.call('rpc.alerting.settings.update', { actor: admin, smtp });
    expect((await source.flapping(admin.tenantId)).maxTransitions).toBe(6);

    const updated = await alerting.rpc.call('rpc.alerting.settings.update', {
      actor: admin,
      anomaly: { zWarning: 2.5, zCritical: 4 },
      flapping: { windowSeconds: 900, maxTransitions: 4 },
    });

    expect(updated).toMatchObject({
      smtp: { host: 'smtp.example.com', passwordSet: true },
      anomaly: { zWarning: 2.5, zCritical: 4, alpha: 0.3, warmupSamples: 30 },
      flapping: { windowSeconds: 900, maxTransitions: 4 },
      updatedAt: expect.any(String),
    });
    await expectEventually(async () => {
      expect(await source.flapping(admin.tenantId)).toEqual({ windowSeconds: 900, maxTransitions: 4 });
      expect((await source.anomaly(admin.tenantId)).zCritical).toBe(4);
    });
    const other = actor('admin');
    expect((await alerting.rpc.call('rpc.alerting.settings.get', { actor: other })).smtp).toBeNull();
  });

  it('should refuse an update by an editor or an observer', async () => {
    const tenant = actor('admin').tenantId;
    for (const role of ['editor', 'observer'] as const) {
      const failure = await rpcFailure(
        alerting.rpc.call('rpc.alerting.settings.update', { actor: actor(role, tenant), flapping: {} }),
      );
      expect(failure.code).toBe('forbidden');
    }
    expect(
      (await alerting.rpc.call('rpc.alerting.settings.get', { actor: actor('editor', tenant) })).updatedAt,
    ).toBeNull();
  });

  it('should refuse invalid settings and unknown fields', async () => {
    const admin = actor('admin');
    const request = async (body: Record<string, unknown>) =>
      nats.requestRaw<{ ok: boolean; error?: { code: string } }>(
        'rpc.alerting.settings.update',
        JSON.stringify({ actor: admin, ...body }),
      );

    expect(await request({ anomaly: { zWarning: 5, zCritical: 3 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await request({ smtp: { ...smtp, tls: 'always' } })).toMatchObject({
      error: { code: 'invalid_request' },
    });
    expect(await request({ theme: 'dark' })).toMatchObject({ error: { code: 'invalid_request' } });
    expect(await request({ smtp: { ...smtp, host: 'h'.repeat(256) } })).toMatchObject({
      error: { code: 'invalid_request' },
    });
    expect((await alerting.rpc.call('rpc.alerting.settings.get', { actor: admin })).updatedAt).toBeNull();
  });
});
