import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import type { MetricsReport, Sample } from '@optralis/contracts';
import { DataSource } from 'typeorm';

import type { IngestConfig } from '../src/config';
import { EventRelayService } from '../src/storage/event-relay.service';
import { HostStatusService } from '../src/storage/host-status.service';
import { PartitionService } from '../src/storage/partition.service';
import { RollupService } from '../src/storage/rollup.service';
import { SampleWriterService } from '../src/storage/sample-writer.service';
import { StorageModule } from '../src/storage/storage.module';
import { WriterProgress } from '../src/storage/writer-progress';
import { startIngestTestApp } from './ingest-test-app';

export interface StorageTestApp {
  app: INestApplication;
  config: IngestConfig;
  writer: SampleWriterService;
  rollup: RollupService;
  partitions: PartitionService;
  relay: EventRelayService;
  status: HostStatusService;
  progress: WriterProgress;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * PlatformModule + StorageModule on the real Postgres (and NATS for the relay), timers slowed down so a
 * test drives rollups and sweeps itself; the consumer only runs with INGEST_WRITER_ENABLED=true.
 */
export async function startStorageTestApp(input: {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
}): Promise<StorageTestApp> {
  const { app, config } = await startIngestTestApp({
    databaseUrl: input.databaseUrl,
    namespace: input.namespace,
    env: {
      INGEST_WRITER_ENABLED: 'false',
      INGEST_ROLLUP_INTERVAL_SECONDS: '3600',
      INGEST_STATUS_SWEEP_SECONDS: '3600',
      ...input.env,
    },
    modules: (settings) => [StorageModule.forRoot(settings)],
  });
  const dataSource = app.get(DataSource);
  return {
    app,
    config,
    writer: app.get(SampleWriterService),
    rollup: app.get(RollupService),
    partitions: app.get(PartitionService),
    relay: app.get(EventRelayService),
    status: app.get(HostStatusService),
    progress: app.get(WriterProgress),
    query: (sql, parameters) => dataSource.query(sql, parameters),
    close: () => app.close(),
  };
}

/** A valid report of one host; `samples` as given (names, labels, values), times as ISO strings. */
export function report(input: {
  tenantId: string;
  hostId?: string;
  time?: Date | string;
  receivedAt?: Date | string;
  samples?: Sample[];
  inventory?: Record<string, unknown>;
  hostName?: string;
  tags?: string[];
}): MetricsReport {
  const time = new Date(input.time ?? Date.now()).toISOString();
  return {
    id: randomUUID(),
    tenantId: input.tenantId,
    hostId: input.hostId ?? randomUUID(),
    hostName: input.hostName ?? 'web-01',
    source: 'agent',
    time,
    receivedAt: new Date(input.receivedAt ?? time).toISOString(),
    ...(input.tags ? { tags: input.tags } : {}),
    samples: input.samples ?? [
      { name: 'cpu.usage_pct', value: 12.5 },
      { name: 'mem.used_bytes', value: 1024 },
    ],
    ...(input.inventory ? { inventory: input.inventory } : {}),
  };
}

export interface StoredSample {
  host_id: string;
  name: string;
  labels: Record<string, string>;
  time: Date;
  value: number;
}

/** Every stored sample of a tenant, one row per value, read back through the series dictionary. */
export const STORED_SAMPLES = `
  SELECT h."host_id", se."name", se."labels", s."time", u."value"
  FROM "ingest"."samples" s
  JOIN "ingest"."hosts" h ON h."key" = s."host_key"
  JOIN "ingest"."series_sets" ss ON ss."id" = s."set_id"
  CROSS JOIN LATERAL unnest(ss."series_ids", s."values") AS u("series_id", "value")
  JOIN "ingest"."series" se ON se."id" = u."series_id"
  WHERE h."tenant_id" = $1
  ORDER BY h."host_id" COLLATE "C", s."time", se."name" COLLATE "C", se."labels_key" COLLATE "C"`;

export function isoMinute(base: Date, minute: number, second = 0): Date {
  return new Date(base.getTime() + minute * 60_000 + second * 1000);
}
