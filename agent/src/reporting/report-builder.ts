import { type AgentReport, Inventory, LIMITS, Sample } from '@optralis/contracts/agent';

import type { CycleContent } from './report-source';

export interface ReportHost {
  id: string;
  name: string;
  tags?: string[];
}

/** The agent's own health, sent with every report. */
export interface AgentHealth {
  pendingReports: number;
  spoolBytes: number;
  droppedReports: number;
  collectDurationMs: number;
  sendFailures: number;
  rejectedReports: number;
}

export interface BuiltReport {
  report: AgentReport;
  /** Samples left out because ingest would refuse the whole report for them. */
  invalidSamples: number;
  /** Samples left out because the report would exceed LIMITS.samplesPerReport. */
  excessSamples: number;
  inventoryRefused: boolean;
}

export function buildReport(input: {
  host: ReportHost;
  seq: number;
  time: number;
  content: CycleContent;
  health: AgentHealth;
}): BuiltReport {
  const own = healthSamples(input.health);
  const valid = input.content.metrics.filter((sample) => Sample.safeParse(sample).success);
  const room = LIMITS.samplesPerReport - own.length;
  const metrics = [...valid.slice(0, room), ...own];
  const report: AgentReport = {
    host: hostOf(input.host),
    seq: input.seq,
    time: new Date(input.time).toISOString(),
    metrics,
  };
  const inventory = input.content.inventory;
  const inventoryRefused = inventory !== undefined && !Inventory.safeParse(inventory).success;
  if (inventory !== undefined && !inventoryRefused) report.inventory = inventory;
  return {
    report,
    invalidSamples: input.content.metrics.length - valid.length,
    excessSamples: Math.max(0, valid.length - room),
    inventoryRefused,
  };
}

function hostOf(host: ReportHost): AgentReport['host'] {
  return host.tags === undefined
    ? { id: host.id, name: host.name }
    : { id: host.id, name: host.name, tags: host.tags };
}

function healthSamples(health: AgentHealth): Sample[] {
  return [
    { name: 'agent.spool.pending_reports', value: health.pendingReports },
    { name: 'agent.spool.bytes', value: health.spoolBytes },
    { name: 'agent.spool.dropped_reports', value: health.droppedReports },
    { name: 'agent.collect_duration_ms', value: Math.round(health.collectDurationMs * 1000) / 1000 },
    { name: 'agent.send_failures', value: health.sendFailures },
    { name: 'agent.rejected_reports', value: health.rejectedReports },
  ];
}
