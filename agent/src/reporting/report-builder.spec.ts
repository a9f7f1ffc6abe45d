import { AgentReport, LIMITS } from '@optralis/contracts';

import { type AgentHealth, buildReport } from './report-builder';
import { samples } from './testing/reporting-fakes';

const HEALTH: AgentHealth = {
  pendingReports: 3,
  spoolBytes: 4096,
  droppedReports: 1,
  collectDurationMs: 12.3456,
  sendFailures: 2,
  rejectedReports: 0,
};
const HOST = { id: 'host-1', name: 'web-01', tags: ['prod'] };
const TIME = Date.UTC(2026, 0, 1);

describe('buildReport', () => {
  it('should build a valid report with the agent metrics after the source samples', () => {
    const { report } = buildReport({
      host: HOST,
      seq: 42,
      time: TIME,
      content: { metrics: samples(2) },
      health: HEALTH,
    });
    expect(AgentReport.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ host: HOST, seq: 42, time: '2026-01-01T00:00:00.000Z' });
    expect(report).not.toHaveProperty('inventory');
    expect(report.metrics.slice(2)).toEqual([
      { name: 'agent.spool.pending_reports', value: 3 },
      { name: 'agent.spool.bytes', value: 4096 },
      { name: 'agent.spool.dropped_reports', value: 1 },
      { name: 'agent.collect_duration_ms', value: 12.346 },
      { name: 'agent.send_failures', value: 2 },
      { name: 'agent.rejected_reports', value: 0 },
    ]);
  });

  it('should include the inventory only when the source gave one', () => {
    const { report } = buildReport({
      host: HOST,
      seq: 1,
      time: TIME,
      content: { metrics: [], inventory: { os: 'Debian 12' } },
      health: HEALTH,
    });
    expect(report.inventory).toEqual({ os: 'Debian 12' });
  });

  it('should leave out samples ingest would refuse the whole report for', () => {
    const metrics = [...samples(2), { name: '9bad', value: 1 }, { name: 'nan.value', value: Number.NaN }];
    const built = buildReport({ host: HOST, seq: 1, time: TIME, content: { metrics }, health: HEALTH });
    expect(built.invalidSamples).toBe(2);
    expect(AgentReport.safeParse(built.report).success).toBe(true);
  });

  it('should keep the report within the samples limit and keep the agent metrics', () => {
    const built = buildReport({
      host: HOST,
      seq: 1,
      time: TIME,
      content: { metrics: samples(LIMITS.samplesPerReport) },
      health: HEALTH,
    });
    expect(built.report.metrics).toHaveLength(LIMITS.samplesPerReport);
    expect(built.excessSamples).toBe(6);
    expect(built.report.metrics.at(-1)!.name).toBe('agent.rejected_reports');
  });
});
