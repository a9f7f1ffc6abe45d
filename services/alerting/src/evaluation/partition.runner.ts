import { Logger } from '@nestjs/common';
import type { MetricsReport } from '@optralis/contracts';
import type { NatsConnectionService } from '@optralis/nats';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from 'nats';

import type { PartitionState } from './partition-state';
import { readReport } from './report-reader';

export interface PartitionRunnerDependencies {
  nats: NatsConnectionService;
  streamName: string;
  filterSubject: string;
  /** Where a never-checkpointed partition starts: this far back in the stream. */
  firstStartLookbackMs: number;
  evaluate(state: PartitionState, report: MetricsReport, seq: number): Promise<void>;
  deadLetter(message: JsMsg, reason: string): Promise<void>;
}

/**
 * Reads one METRICS partition in stream order with an ordered (ephemeral, flow-controlled) consumer that
 * starts right after the sequence the partition's checkpoint covers. Nothing is acked: the checkpoint is
 * the position, so a restart replays exactly what the saved state has not seen.
 */
export class PartitionRunner {
  private readonly logger = new Logger(PartitionRunner.name);
  private messages?: ConsumerMessages;
  private stopped = false;
  private loop?: Promise<void>;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    readonly state: PartitionState,
    private readonly dependencies: PartitionRunnerDependencies,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  /**
   * Runs `work` between two messages, never during one: a checkpoint taken here covers whole reports and
   * exactly the messages before `state.lastSeq`.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.turn;
    let release!: () => void;
    this.turn = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.consume();
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn(
          { partition: this.state.partition, error: (error as Error).message },
          'partition reader restarts',
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async consume(): Promise<void> {
    const { nats, streamName, filterSubject } = this.dependencies;
    const jetstream = await (await nats.ready()).jetstream();
    const start =
      this.state.lastSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.state.lastSeq + 1 }
        : {
            deliver_policy: DeliverPolicy.StartTime,
            opt_start_time: new Date(Date.now() - this.dependencies.firstStartLookbackMs).toISOString(),
          };
    const consumer = await jetstream.consumers.get(streamName, { filterSubjects: filterSubject, ...start });
    this.messages = await consumer.consume({ max_messages: 2000 });
    if (this.stopped) await this.messages.close();
    for await (const message of this.messages) {
      if (this.stopped) break;
      await this.exclusive(async () => {
        const read = readReport(message.data);
        if ('error' in read) await this.dependencies.deadLetter(message, read.error);
        else await this.dependencies.evaluate(this.state, read.report, message.seq);
        this.state.lastSeq = message.seq;
      });
    }
  }
}
