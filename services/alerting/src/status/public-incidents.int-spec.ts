import { randomUUID } from 'node:crypto';

import { type AlertSeverity, type AlertState } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { type AlertingTestApp, rpcFailure, startAlertingTestApp } from '../../test/alerting-test-app';
import { PublicStatusRpc } from './public-status.rpc';
import { StatusModule } from './status.module';

interface AlertSeed {
  tenantId: string;
  ruleId?: string;
  ruleName?: string;
  hostTags: string[];
  severity?: AlertSeverity;
  state?: AlertState;
  startedAt?: Date;
  hostName?: string;
}

describe(PublicStatusRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let alerting: AlertingTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    alerting = await startAlertingTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [StatusModule],
    });
  });

  afterAll(async () => {
    await alerting?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  async function alert(seed: AlertSeed): Promise<void> {
    const state = seed.state ?? 'firing';
    const startedAt = seed.startedAt ?? new Date('2030-01-15T10:00:00.000Z');
    await alerting.app.get(DataSource).query(
      `INSERT INTO "alerting"."alerts" ("id", "tenant_id", "rule_id", "rule_name", "rule_kind", "host_id",
         "host_name", "metric", "dedup_key", "severity", "state", "value", "summary", "partition", "started_at",
         "firing_at", "resolved_at", "host_tags")
       VALUES ($1, $2, $3, $4, 'threshold', $5, $6, 'cpu.usage_pct', $7, $8, $9, 97.5, 'cpu at 97.5', 0, $10, $10,
         $11, $12)`,
      [
        randomUUID(),
        seed.tenantId,
        seed.ruleId ?? randomUUID(),
        seed.ruleName ?? 'CPU high',
        `host-${randomUUID()}`,
        seed.hostName ?? 'db-primary.internal',
        randomUUID(),
        seed.severity ?? 'critical',
        state,
        startedAt,
        state === 'resolved' ? new Date() : null,
        seed.hostTags,
      ],
    );
  }

  const incidents = (tenantId: string, tags: string[], limit?: number) =>
    alerting.rpc.call('rpc.alerting.publicStatus.incidents', { tenantId, tags, limit });

  it('should answer one public-safe incident per rule of hosts carrying a requested tag', async () => {
    const tenantId = randomUUID();
    const ruleId = randomUUID();
    await alert({
      tenantId,
      ruleId,
      hostTags: ['web', 'prod'],
      severity: 'warning',
      startedAt: new Date('2030-01-15T09:00:00Z'),
    });
    await alert({ tenantId, ruleId, hostTags: ['api'], severity: 'critical', state: 'acknowledged' });
    await alert({
      tenantId,
      ruleName: 'Disk full',
      hostTags: ['db'],
      severity: 'warning',
      state: 'acknowledged',
    });

    const reply = await incidents(tenantId, ['web', 'api', 'db']);

    expect(reply).toEqual({
      incidents: [
        {
          ruleName: 'CPU high',
          severity: 'critical',
          state: 'firing',
          startedAt: '2030-01-15T09:00:00.000Z',
          tags: ['api', 'web'],
        },
        {
          ruleName: 'Disk full',
          severity: 'warning',
          state: 'acknowledged',
          startedAt: '2030-01-15T10:00:00.000Z',
          tags: ['db'],
        },
      ],
      truncated: false,
    });
    for (const secret of ['db-primary.internal', 'host-', ruleId, '97.5', 'cpu.usage_pct', 'prod']) {
      expect(JSON.stringify(reply)).not.toContain(secret);
    }
  });

  it('should leave out alerts of other tags, resolved, pending and suppressed alerts', async () => {
    const tenantId = randomUUID();
    await alert({ tenantId, hostTags: ['batch'] });
    await alert({ tenantId, hostTags: [] });
    for (const state of ['resolved', 'pending', 'suppressed'] as const) {
      await alert({ tenantId, ruleName: `Rule ${state}`, hostTags: ['web'], state });
    }

    expect(await incidents(tenantId, ['web'])).toEqual({ incidents: [], truncated: false });
  });

  it('should never answer another tenant’s incidents', async () => {
    const tenantId = randomUUID();
    await alert({ tenantId: randomUUID(), hostTags: ['web'] });

    expect((await incidents(tenantId, ['web'])).incidents).toEqual([]);
  });

  it('should say the list is truncated when more rules are open than the limit', async () => {
    const tenantId = randomUUID();
    for (const name of ['A', 'B', 'C']) await alert({ tenantId, ruleName: name, hostTags: ['web'] });

    const reply = await incidents(tenantId, ['web'], 2);

    expect(reply.incidents).toHaveLength(2);
    expect(reply.truncated).toBe(true);
  });

  it('should refuse a request without tags', async () => {
    expect((await rpcFailure(incidents(randomUUID(), []))).code).toBe('invalid_request');
  });
});
