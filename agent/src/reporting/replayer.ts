import type { Spool, SpooledRecord } from '../spool/spool';
import type { DeliveryOutcome, ReportSender } from '../transport/delivery-outcome';
import type { DeliveryGate } from './delivery-gate';
import { errorFields, type Logger } from './logger';
import { type Timer, Wakeup } from './timer';

export interface ReplayOptions {
  /** Records read and acknowledged together. Default 64. */
  batchSize?: number;
  /** Requests in flight at most; live reports travel on their own path beside them. Default 4. */
  concurrency?: number;
}

export interface ReplayerParts extends ReplayOptions {
  spool: Spool;
  sender: ReportSender;
  gate: DeliveryGate;
  timer: Timer;
  logger: Logger;
  /** Every answer to a replayed report, for the loop's counters, gate and log. */
  settle: (outcome: DeliveryOutcome, record: SpooledRecord) => void;
}

/** With no work, look at the spool again this often anyway (records dropped by age need a reader). */
const IDLE_MS = 60_000;
const ERROR_PAUSE_MS = 1000;

/** Sends spooled reports oldest first with their original seq, and acknowledges what ingest took. */
export class Replayer {
  private readonly wakeup: Wakeup;
  private readonly stopping = new AbortController();
  private readonly maxConcurrency: number;
  private readonly batchSize: number;
  private concurrency: number;
  private running: Promise<void> | undefined;

  constructor(private readonly parts: ReplayerParts) {
    this.wakeup = new Wakeup(parts.timer);
    this.batchSize = Math.max(1, parts.batchSize ?? 64);
    this.maxConcurrency = Math.max(1, parts.concurrency ?? 4);
    this.concurrency = this.maxConcurrency;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** There may be work, or ingest may be back: look now instead of at the end of the current wait. */
  wake(): void {
    this.wakeup.wake();
  }

  /** Cuts in-flight requests short (their records stay spooled) and waits for the replay to end. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        const wait = this.parts.gate.waitMs('replay');
        if (wait > 0) {
          await this.wakeup.wait(wait, signal);
        } else if (this.parts.spool.stats().pendingReports === 0) {
          await this.wakeup.wait(IDLE_MS, signal);
        } else {
          const records = await this.parts.spool.peek({ limit: this.batchSize });
          // Counted as pending yet nothing readable: only a file changed behind the spool's back does that.
          if (records.length > 0) await this.replay(records);
          else await this.wakeup.wait(IDLE_MS, signal);
        }
      } catch (error) {
        this.parts.logger.error('replay: a batch failed', errorFields(error));
        await this.parts.timer.sleep(ERROR_PAUSE_MS, signal);
      }
    }
  }

  private async replay(records: SpooledRecord[]): Promise<void> {
    const { signal } = this.stopping;
    const outcomes: (DeliveryOutcome | undefined)[] = [];
    let next = 0;
    let halted = false;
    const worker = async () => {
      while (!halted && !signal.aborted && next < records.length && this.parts.gate.isOpen('replay')) {
        const index = next++;
        const outcome = await this.parts.sender.send(records[index].body, signal);
        if (signal.aborted) return;
        outcomes[index] = outcome;
        this.parts.settle(outcome, records[index]);
        if (outcome.kind === 'retry' || outcome.kind === 'unauthorized') halted = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, records.length) }, worker));
    let done = 0;
    while (done < outcomes.length && isSettled(outcomes[done])) done += 1;
    if (done > 0) await this.parts.spool.acknowledge(records[done - 1].position);
    this.adjustConcurrency(outcomes, done === records.length);
  }

  /** Halve on 429 (ingest is rate limiting this token), grow back by one per clean batch. */
  private adjustConcurrency(outcomes: (DeliveryOutcome | undefined)[], clean: boolean): void {
    if (outcomes.some((outcome) => outcome?.kind === 'retry' && outcome.status === 429)) {
      this.concurrency = Math.max(1, Math.floor(this.concurrency / 2));
    } else if (clean) {
      this.concurrency = Math.min(this.maxConcurrency, this.concurrency + 1);
    }
  }
}

function isSettled(outcome: DeliveryOutcome | undefined): boolean {
  return outcome?.kind === 'delivered' || outcome?.kind === 'rejected';
}
