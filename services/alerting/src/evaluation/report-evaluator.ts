import { Inject, Injectable } from '@nestjs/common';
import type {
  AnomalyRuleInput,
  ForecastRuleInput,
  MetricsReport,
  Rule,
  Sample,
  ThresholdRuleInput,
} from '@optralis/contracts';

import { AlertBook } from '../alerts/alert-book';
import type { AlertSignal } from '../alerts/alert.types';
import { AlertLifecycleService } from '../alerts/alert-lifecycle.service';
import { ALERTING_CONFIG } from '../alerting.config.provider';
import type { AlertingConfig } from '../config';
import type { Condition } from './detectors/condition';
import { scoreAnomaly, updateEwma, varianceAlpha } from './detectors/ewma';
import {
  describeAnomaly,
  describeForecast,
  describeResolved,
  describeThreshold,
} from './detectors/explanation-text';
import { addForecastSample, forecast, forecastCondition, newForecastState } from './detectors/forecast';
import { evaluateThreshold } from './detectors/threshold.detector';
import { EvaluationMetrics } from './evaluation.metrics';
import { OfflineEvaluator } from './offline.evaluator';
import { baselineKey, forecastKey, hostKey, type HostPresence, type PartitionState } from './partition-state';
import { inScope, type IndexedRule, RuleIndex } from './rule-index.service';
import { labelsMatch, seriesKey } from './series-key';
import { TenantAnomalySettings } from './tenant-anomaly.settings';

interface SampleContext {
  state: PartitionState;
  host: HostPresence;
  sample: Sample;
  series: string;
  time: number;
  seq: number;
  /** Baselines this sample will update once every rule has scored against the value before it. */
  baselineUpdates?: Map<string, { alpha: number; zCritical: number }>;
}

/** Folds one report into its partition's state and hands every alert-relevant verdict to the lifecycle. */
@Injectable()
export class ReportEvaluator {
  private readonly maxSkewMs: number;

  constructor(
    private readonly rules: RuleIndex,
    private readonly book: AlertBook,
    private readonly lifecycle: AlertLifecycleService,
    private readonly anomalyDefaults: TenantAnomalySettings,
    private readonly offline: OfflineEvaluator,
    private readonly metrics: EvaluationMetrics,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
  ) {
    this.maxSkewMs = config.ALERTING_MAX_CLOCK_SKEW_SECONDS * 1000;
  }

  async evaluate(state: PartitionState, report: MetricsReport, seq: number): Promise<void> {
    const receivedAt = Date.parse(report.receivedAt);
    let time = Date.parse(report.time);
    if (Math.abs(time - receivedAt) > this.maxSkewMs) {
      this.metrics.skewedReports.inc();
      time = receivedAt;
    }
    const host = this.presence(state, report, receivedAt);
    const late = time < host.lastReportTime;
    if (!late) host.lastReportTime = time;
    const tenantRules = this.rules.of(report.tenantId);
    if (!tenantRules) return;
    if (tenantRules.offline.length > 0)
      await this.offline.evaluateHost(state, host, tenantRules.offline, time, seq);
    if (late) {
      this.metrics.lateReports.inc();
      return;
    }
    for (const sample of report.samples) {
      const candidates = tenantRules.byMetric.get(sample.name);
      if (!candidates) continue;
      let context: SampleContext | undefined;
      for (const candidate of candidates) {
        if (!inScope(candidate, host.hostId, host.tags) || !labelsMatch(candidate.labels, sample.labels))
          continue;
        context ??= { state, host, sample, series: seriesKey(sample.name, sample.labels), time, seq };
        this.metrics.evaluations.inc();
        await this.evaluateRule(candidate, context);
      }
      if (context?.baselineUpdates) this.updateBaselines(context, context.baselineUpdates);
    }
  }

  /** Once per baseline and sample, however many rules share it. */
  private updateBaselines(
    { state, sample, time }: SampleContext,
    updates: Map<string, { alpha: number; zCritical: number }>,
  ): void {
    for (const [key, parameters] of updates) {
      const baseline = state.baselines.get(key);
      const updated = updateEwma(baseline, sample.value, parameters, time);
      if (updated !== baseline) state.baselines.set(key, updated);
      state.dirtyBaselines.add(key);
    }
  }

  private presence(state: PartitionState, report: MetricsReport, receivedAt: number): HostPresence {
    const key = hostKey(report.tenantId, report.hostId);
    let host = state.hosts.get(key);
    if (!host) {
      host = {
        tenantId: report.tenantId,
        hostId: report.hostId,
        hostName: report.hostName,
        tags: report.tags ?? [],
        lastSeenAt: receivedAt,
        lastReportTime: 0,
        intervalSeconds: 10,
      };
      state.hosts.set(key, host);
    } else if (receivedAt > host.lastSeenAt) {
      const gap = (receivedAt - host.lastSeenAt) / 1000;
      if (gap >= 0.5 && gap <= 3600) host.intervalSeconds = host.intervalSeconds * 0.8 + gap * 0.2;
      host.lastSeenAt = receivedAt;
      host.hostName = report.hostName;
      if (report.tags) host.tags = report.tags;
    }
    state.dirtyHosts.add(key);
    return host;
  }

  private async evaluateRule(candidate: IndexedRule, context: SampleContext): Promise<void> {
    const { rule } = candidate;
    if (rule.kind === 'threshold') return this.threshold(rule, context);
    if (rule.kind === 'anomaly') return this.anomaly(rule, context);
    if (rule.kind === 'forecast') return this.forecast(rule, context);
  }

  private current(tenantId: string, dedupKey: string): Condition {
    const open = this.book.get(tenantId, dedupKey);
    return open ? (open.severity === 'info' ? 'warning' : open.severity) : 'ok';
  }

  private async threshold(rule: Rule & ThresholdRuleInput, context: SampleContext): Promise<void> {
    const { host, sample } = context;
    const dedupKey = `${rule.id}:${host.hostId}:${context.series}`;
    const verdict = evaluateThreshold(rule, sample.value, this.current(host.tenantId, dedupKey));
    const open = this.book.get(host.tenantId, dedupKey);
    const breachedForSeconds = open ? Math.max(0, (context.time - open.startedAt.getTime()) / 1000) : 0;
    await this.signal(context, rule, dedupKey, verdict.condition, () => ({
      explanation: {
        value: sample.value,
        operator: rule.operator,
        level: verdict.level ?? rule.critical ?? rule.warning ?? 0,
        breachedForSeconds,
      },
      summary:
        verdict.condition === 'ok'
          ? describeResolved({ ruleName: rule.name, hostName: host.hostName, value: sample.value })
          : describeThreshold({
              metric: sample.name,
              labels: sample.labels ?? {},
              hostName: host.hostName,
              value: sample.value,
              operator: rule.operator,
              level: verdict.level ?? 0,
              condition: verdict.condition,
              breachedForSeconds,
            }),
    }));
  }

  private async anomaly(rule: Rule & AnomalyRuleInput, context: SampleContext): Promise<void> {
    const { host, sample, state } = context;
    const defaults = await this.anomalyDefaults.of(host.tenantId);
    const parameters = {
      zWarning: rule.zWarning ?? defaults.zWarning,
      zCritical: rule.zCritical ?? defaults.zCritical,
      alpha: rule.alpha ?? defaults.alpha,
      confirmSamples: rule.confirmSamples,
      warmupSamples: rule.warmupSamples ?? defaults.warmupSamples,
      direction: rule.direction,
      minDeviation: rule.minDeviation,
    };
    const key = baselineKey(host.tenantId, host.hostId, parameters.alpha, context.series);
    const baseline = state.baselines.get(key);
    const dedupKey = `${rule.id}:${host.hostId}:${context.series}`;
    const streakKey = hostKey(host.tenantId, dedupKey);
    const score = scoreAnomaly(baseline, sample.value, parameters, state.anomalyStreaks.get(streakKey));
    if (score.streak === 0) state.anomalyStreaks.delete(streakKey);
    else state.anomalyStreaks.set(streakKey, score.streak);
    context.baselineUpdates ??= new Map();
    if (!context.baselineUpdates.has(key)) context.baselineUpdates.set(key, parameters);
    await this.signal(context, rule, dedupKey, score.condition, () => ({
      explanation: {
        value: sample.value,
        mean: score.mean,
        sigma: score.sigma,
        z: score.z,
        alpha: parameters.alpha,
        varianceAlpha: varianceAlpha(parameters.alpha),
        warmupSamples: baseline?.count ?? 0,
        consecutiveSamples: score.consecutive,
        windowSeconds: host.intervalSeconds * (2 / parameters.alpha - 1),
      },
      summary:
        score.condition === 'ok'
          ? describeResolved({ ruleName: rule.name, hostName: host.hostName, value: sample.value })
          : describeAnomaly({
              metric: sample.name,
              labels: sample.labels ?? {},
              hostName: host.hostName,
              value: sample.value,
              mean: score.mean,
              sigma: score.sigma,
              z: score.z,
              alpha: parameters.alpha,
              warmupSamples: baseline?.count ?? 0,
              condition: score.condition,
              consecutiveSamples: score.consecutive,
            }),
    }));
  }

  private async forecast(rule: Rule & ForecastRuleInput, context: SampleContext): Promise<void> {
    const { host, sample, state } = context;
    const key = forecastKey(host.tenantId, rule.id, host.hostId, context.series);
    let window = state.forecasts.get(key);
    if (!window) {
      window = newForecastState(rule.windowSeconds);
      state.forecasts.set(key, window);
    }
    addForecastSample(window, context.time, sample.value, rule.windowSeconds);
    state.dirtyForecasts.add(key);
    const result = forecast(window, rule.limit, rule.operator, context.time);
    const condition = forecastCondition(result, rule);
    const dedupKey = `${rule.id}:${host.hostId}:${context.series}`;
    await this.signal(context, rule, dedupKey, condition, () => ({
      explanation: { value: sample.value, limit: rule.limit, ...result },
      summary:
        condition === 'ok'
          ? describeResolved({ ruleName: rule.name, hostName: host.hostName, value: sample.value })
          : describeForecast({
              metric: sample.name,
              labels: sample.labels ?? {},
              hostName: host.hostName,
              latest: result.latest,
              limit: rule.limit,
              hoursToLimit: result.hoursToLimit ?? 0,
              slopePerHour: result.slopePerHour,
              condition,
            }),
    }));
  }

  /** Builds the (costly) signal only when the lifecycle has something to do with it. */
  private async signal(
    context: SampleContext,
    rule: Rule,
    dedupKey: string,
    condition: Condition,
    describe: () => { explanation: Record<string, unknown>; summary: string },
  ): Promise<void> {
    const { host, sample } = context;
    if (!this.lifecycle.needsWork(host.tenantId, dedupKey, condition)) return;
    const { explanation, summary } = describe();
    const signal: AlertSignal = {
      tenantId: host.tenantId,
      partition: context.state.partition,
      rule,
      hostId: host.hostId,
      hostName: host.hostName,
      hostTags: host.tags,
      metric: sample.name,
      labels: sample.labels ?? {},
      dedupKey,
      condition,
      value: sample.value,
      explanation,
      summary,
      sampleTime: new Date(context.time),
      streamSeq: context.seq,
    };
    await this.lifecycle.apply(signal);
  }
}
