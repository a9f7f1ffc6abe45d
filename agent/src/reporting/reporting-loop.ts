import { join } from 'node:path';

import { Spool } from '../spool/spool';
import type { SpooledRecord } from '../spool/spool';
import type { SpoolStats } from '../spool/spool-stats';
import type { BackoffPolicy } from '../transport/backoff';
import type { DeliveryOutcome, ReportSender } from '../transport/delivery-outcome';
import { decodeBody, encodeReport } from '../transport/encoded-body';
import { HttpReportSender } from '../transport/report-sender';
import { DeliveryGate, isThrottled } from './delivery-gate';
import { errorFields, type Logger } from './logger';
import { Replayer, type ReplayOptions } from './replayer';
import { buildReport, type ReportHost } from './report-builder';
import type { CycleContent, ReportSource } from './report-source';
import { SequenceStore } from './sequence-store';
import { systemTimer, type Timer } from './timer';

export const DEFAULT_INTERVAL_MS = 10_000;

/** What the daemon's configuration gives the reporting loop. */
export interface ReportingConfig {
  serverUrl: string;
  token: string;
  intervalMs?: number;
  host: ReportHost;
  /** The spool lives in `<stateDirectory>/spool`, the seq high-water mark in `<stateDirectory>/sequence.json`. */
  stateDirectory: string;
  spool?: { maxBytes?: number; maxAgeMs?: number };
  /** Per request. Default 10 s. */
  requestTimeoutMs?: number;
  replay?: ReplayOptions;
  backoff?: { failure?: BackoffPolicy; unauthorized?: BackoffPolicy };
}

export interface ReportingLoopOpenOptions extends ReportingConfig {
  source: ReportSource;
  logger: Logger;
  /** Wall clock, epoch ms: report and spool record times. */
  now?: () => number;
  timer?: Timer;
  /** Replaces the HTTP sender (tests). */
  sender?: ReportSender;
}

export interface ReportingLoopParts {
  source: ReportSource;
  sender: ReportSender;
  spool: Spool;
  sequence: SequenceStore;
  logger: Logger;
  host: ReportHost;
  intervalMs?: number;
  now?: () => number;
  timer?: Timer;
  replay?: ReplayOptions;
  backoff?: { failure?: BackoffPolicy; unauthorized?: BackoffPolicy };
}

export interface ReportingCounters {
  delivered: number;
  sendFailures: number;
  rejectedReports: number;
  spooled: number;
}

export interface ReportingStats extends ReportingCounters {
  spool: SpoolStats;
}

/** Every interval: collect, number, send live; what cannot be sent is spooled and replayed beside the live reports. */
export class ReportingLoop {
  private readonly counters: ReportingCounters = {
    delivered: 0,
    sendFailures: 0,
    rejectedReports: 0,
    spooled: 0,
  };
  private readonly stopping = new AbortController();
  private readonly gate: DeliveryGate;
  private readonly replayer: Replayer;
  private readonly timer: Timer;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private running: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private unavailable = false;

  constructor(private readonly parts: ReportingLoopParts) {
    this.timer = parts.timer ?? systemTimer;
    this.now = parts.now ?? Date.now;
    this.intervalMs = Math.max(1, parts.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.gate = new DeliveryGate({
      timer: this.timer,
      failureBackoff: parts.backoff?.failure,
      unauthorizedBackoff: parts.backoff?.unauthorized,
    });
    this.replayer = new Replayer({
      ...parts.replay,
      spool: parts.spool,
      sender: parts.sender,
      gate: this.gate,
      timer: this.timer,
      logger: parts.logger,
      settle: (outcome, record) => this.settle(outcome, 'replay', () => seqOf(record)),
    });
  }

  /** Opens the spool and the sequence store in the state directory and builds the HTTP sender: the daemon's one call. */
  static async open(options: ReportingLoopOpenOptions): Promise<ReportingLoop> {
    const now = options.now ?? Date.now;
    const spool = await Spool.open({
      directory: join(options.stateDirectory, 'spool'),
      maxBytes: options.spool?.maxBytes,
      maxAgeMs: options.spool?.maxAgeMs,
      now,
      logger: options.logger,
    });
    try {
      const sequence = await SequenceStore.open({
        directory: options.stateDirectory,
        logger: options.logger,
        now,
      });
      const sender =
        options.sender ??
        new HttpReportSender({
          serverUrl: options.serverUrl,
          token: options.token,
          timeoutMs: options.requestTimeoutMs,
          now,
        });
      return new ReportingLoop({ ...options, spool, sequence, sender, now });
    } catch (error) {
      await spool.close();
      throw error;
    }
  }

  start(): void {
    if (this.running !== undefined || this.stopping.signal.aborted) return;
    this.running = this.run();
    this.replayer.start();
  }

  /** Finishes the cycle under way (its report is delivered or spooled), stops replay and closes the spool. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping.abort();
      await this.running;
      await this.replayer.stop();
      await this.parts.spool.close();
    })();
    return this.stopped;
  }

  stats(): ReportingStats {
    return { ...this.counters, spool: this.parts.spool.stats() };
  }

  /** One cycle, for tests and for a daemon that wants a report at once. */
  async cycle(): Promise<void> {
    const started = this.timer.monotonic();
    let content: CycleContent = { metrics: [] };
    try {
      content = await this.parts.source.next();
    } catch (error) {
      // The report still goes out, with the agent's own metrics: the host stays visibly online.
      this.parts.logger.error('reporting: the source failed', errorFields(error));
    }
    const collectDurationMs = this.timer.monotonic() - started;
    const seq = await this.parts.sequence.next();
    const spool = this.parts.spool.stats();
    const built = buildReport({
      host: this.parts.host,
      seq,
      time: this.now(),
      content,
      health: {
        pendingReports: spool.pendingReports,
        spoolBytes: spool.bytes,
        droppedReports: spool.droppedReports,
        collectDurationMs,
        sendFailures: this.counters.sendFailures,
        rejectedReports: this.counters.rejectedReports,
      },
    });
    if (built.invalidSamples + built.excessSamples > 0 || built.inventoryRefused) {
      this.parts.logger.warn('reporting: left samples out that ingest would refuse', {
        seq,
        invalidSamples: built.invalidSamples,
        excessSamples: built.excessSamples,
        inventoryRefused: built.inventoryRefused,
      });
    }
    // Serialised and compressed once: what is sent live is what the spool keeps and replay sends.
    const body = await encodeReport(built.report);
    if (this.gate.isOpen()) {
      const outcome = await this.parts.sender.send(body);
      this.settle(outcome, 'live', () => seq);
      if (outcome.kind === 'delivered' || outcome.kind === 'rejected') return;
    }
    if ((await this.parts.spool.append(body)) === 'stored') this.counters.spooled += 1;
    this.replayer.wake();
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    let due = this.timer.monotonic();
    while (!signal.aborted) {
      try {
        await this.cycle();
      } catch (error) {
        this.parts.logger.error('reporting: a cycle failed', errorFields(error));
      }
      const now = this.timer.monotonic();
      // A cycle that overran skips the ticks it missed instead of bursting to catch up.
      due += this.intervalMs * Math.max(1, Math.ceil((now - due) / this.intervalMs));
      await this.timer.sleep(due - now, signal);
    }
  }

  /** The one place an answer from ingest is counted, logged and fed to the gate. */
  private settle(outcome: DeliveryOutcome, path: 'live' | 'replay', seq: () => number | undefined): void {
    const { logger, spool } = this.parts;
    const probing = this.gate.isOpen(path);
    const waitMs = this.gate.record(outcome, path);
    if (outcome.kind === 'delivered' || outcome.kind === 'rejected') {
      if (this.unavailable) {
        this.unavailable = false;
        logger.info('reporting: ingest is reachable again', { pendingReports: spool.stats().pendingReports });
      }
      if (path === 'live' && spool.stats().pendingReports > 0) this.replayer.wake();
    }
    if (outcome.kind === 'delivered') {
      this.counters.delivered += 1;
      return;
    }
    if (outcome.kind === 'rejected') {
      this.counters.rejectedReports += 1;
      const fields = { path, seq: seq(), status: outcome.status, reason: outcome.reason };
      logger.warn('reporting: ingest refused a report, it is dropped', fields);
      return;
    }
    this.counters.sendFailures += 1;
    const fields = { path, status: outcome.status, reason: outcome.reason, retryInMs: waitMs };
    if (path === 'replay' && isThrottled(outcome)) {
      // Pacing, not an outage: live reports keep going, so no "unavailable" line.
      logger.debug('replay: ingest is rate limiting the replay', fields);
      return;
    }
    // One line when ingest goes away (and one per probe for a refused token), not one per report.
    const first = !this.unavailable;
    this.unavailable = true;
    if (outcome.kind === 'unauthorized') {
      const message = 'reporting: ingest refused the token; reports are kept in the spool until it is fixed';
      if (probing) logger.error(message, { ...fields, pendingReports: spool.stats().pendingReports });
    } else if (first) {
      logger.warn('reporting: ingest is unavailable, reports go to the spool', fields);
    } else {
      logger.debug('reporting: ingest is still unavailable', fields);
    }
  }
}

/** Read only to log a refused report: a spooled body is sent as it is, never decompressed on the way. */
function seqOf(record: SpooledRecord): number | undefined {
  try {
    return (JSON.parse(decodeBody(record.body).toString('utf8')) as { seq?: number }).seq;
  } catch {
    return undefined;
  }
}
