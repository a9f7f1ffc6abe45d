import { randomUUID } from 'node:crypto';

import { type MetricsReport, partitionOf } from '@optralis/contracts';
import { JetStreamPublisher } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { AlertsModule } from '../src/alerts/alerts.module';
import { ChannelsModule } from '../src/channels/channels.module';
import { DeliveryModule } from '../src/delivery/delivery.module';
import { EscalationPoliciesModule } from '../src/escalation/escalation-policies.module';
import { EvaluationModule } from '../src/evaluation/evaluation.module';
import { EvaluationService } from '../src/evaluation/evaluation.service';
import { RuleIndex } from '../src/evaluation/rule-index.service';
import { MaintenanceModule } from '../src/maintenance/maintenance.module';
import { RulesModule } from '../src/rules/rules.module';
import { SettingsModule } from '../src/settings/settings.module';
import { type AlertingTestApp, startAlertingTestApp } from './alerting-test-app';

export const WEBHOOK_SECRET = 'a-webhook-secret-of-some-length';

/** A METRICS report as ingest publishes it; `receivedAt` defaults to `time` (an agent with a true clock). */
export function metricsReport(input: {
  tenantId: string;
  hostId: string;
  time: Date;
  receivedAt?: Date;
  samples: MetricsReport['samples'];
  tags?: string[];
  hostName?: string;
}): MetricsReport {
  return {
    id: randomUUID(),
    tenantId: input.tenantId,
    hostId: input.hostId,
    hostName: input.hostName ?? `host-${input.hostId.slice(0, 8)}`,
    source: 'agent',
    time: input.time.toISOString(),
    receivedAt: (input.receivedAt ?? input.time).toISOString(),
    tags: input.tags ?? ['prod'],
    samples: input.samples,
  };
}

export function hostId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Everything the alerting service runs in production (evaluation, lifecycle, outbox), in this process. */
export interface Pipeline {
  alerting: AlertingTestApp;
  /** Publishes on METRICS and returns the stream sequence the report got. */
  publish(report: MetricsReport): Promise<number>;
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Resolves once the tenant's rule index holds `count` enabled rules. */
  rulesLoaded(tenantId: string, count: number): Promise<void>;
  /** Resolves once evaluation of the host's partition has passed `seq` (its checkpoint covers it). */
  evaluatedThrough(hostId: string, seq: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPipeline(env: Record<string, string> = {}): Promise<Pipeline> {
  const database: TestDatabase = await createTestDatabase();
  const nats: NatsTestNamespace = await createNatsNamespace();
  const alerting = await startAlertingTestApp({
    databaseUrl: database.url,
    namespace: nats.namespace,
    env: { ALERTING_CHECKPOINT_SECONDS: '1', ...env },
    modules: [
      SettingsModule,
      RulesModule,
      MaintenanceModule,
      EscalationPoliciesModule,
      ChannelsModule,
      DeliveryModule,
      AlertsModule,
      EvaluationModule,
    ],
  });
  await expectEventually(() => expect(alerting.app.get(EvaluationService).partitions()).toHaveLength(8));
  const dataSource = alerting.app.get(DataSource);
  const query = <T>(sql: string, parameters: unknown[] = []) =>
    dataSource.query(sql, parameters) as Promise<T[]>;

  return {
    alerting,
    query,
    async publish(report) {
      const published = await alerting.app
        .get(JetStreamPublisher)
        .publish('metrics.report', report, { msgId: report.id });
      return published.sequence;
    },
    async rulesLoaded(tenantId, count) {
      await expectEventually(() => {
        const rules = alerting.app.get(RuleIndex).of(tenantId);
        const indexed = [...(rules?.byMetric.values() ?? [])].flat().length + (rules?.offline.length ?? 0);
        expect(indexed).toBe(count);
      });
    },
    async evaluatedThrough(host, seq) {
      const partition = partitionOf(host, alerting.config.METRICS_PARTITIONS);
      await expectEventually(async () => {
        const [row] = await query<{ stream_seq: string }>(
          `SELECT "stream_seq" FROM "alerting"."partition_checkpoints" WHERE "partition" = $1`,
          [partition],
        );
        expect(Number(row?.stream_seq ?? 0)).toBeGreaterThanOrEqual(seq);
      });
    },
    async close() {
      await alerting?.close();
      await nats.cleanup();
      await database.drop();
    },
  };
}
