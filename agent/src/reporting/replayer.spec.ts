import { Spool } from '../spool/spool';
import { gzipped, seqOf, useTemporaryDirectory } from '../spool/testing/spool-fixtures';
import type { DeliveryOutcome, ReportSender } from '../transport/delivery-outcome';
import type { EncodedBody } from '../transport/encoded-body';
import { expectEventually } from '@optralis/testing';
import { DeliveryGate } from './delivery-gate';
import { Replayer } from './replayer';
import { RecordingLogger } from './testing/reporting-fakes';
import { systemTimer } from './timer';

const DELIVERED: DeliveryOutcome = { kind: 'delivered', accepted: 1, duplicates: 0 };

class ScriptedSender implements ReportSender {
  readonly sent: { seq: number; at: number; inFlight: number; body: EncodedBody }[] = [];
  answer: (seq: number, attempt: number) => DeliveryOutcome | 'hang' = () => DELIVERED;
  private inFlight = 0;

  async send(body: EncodedBody, signal?: AbortSignal): Promise<DeliveryOutcome> {
    const seq = seqOf(body);
    this.inFlight += 1;
    this.sent.push({ seq, at: performance.now(), inFlight: this.inFlight, body });
    try {
      const answer = this.answer(seq, this.sent.filter((entry) => entry.seq === seq).length);
      if (answer === 'hang') {
        await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
        return { kind: 'retry', reason: 'aborted' };
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
      return answer;
    } finally {
      this.inFlight -= 1;
    }
  }

  seqs(): number[] {
    return this.sent.map((entry) => entry.seq);
  }
}

describe(Replayer.name, () => {
  const directory = useTemporaryDirectory('optralis-replay-');
  let spool: Spool;
  let sender: ScriptedSender;
  let sut: Replayer;
  const bodies = new Map<number, EncodedBody>();

  async function start(options: { concurrency: number; batchSize: number; count: number }) {
    spool = await Spool.open({ directory: directory() });
    for (let seq = 1; seq <= options.count; seq += 1) {
      bodies.set(seq, gzipped(seq));
      await spool.append(bodies.get(seq)!);
    }
    sender = new ScriptedSender();
    const gate = new DeliveryGate({ timer: systemTimer, failureBackoff: { initialMs: 10, maxMs: 20 } });
    sut = new Replayer({
      spool,
      sender,
      gate,
      timer: systemTimer,
      logger: new RecordingLogger(),
      settle: (outcome) => gate.record(outcome),
      concurrency: options.concurrency,
      batchSize: options.batchSize,
    });
  }

  afterEach(async () => {
    await sut.stop();
    await spool.close();
  });

  it('should send every spooled report once, oldest first, and acknowledge them', async () => {
    await start({ concurrency: 1, batchSize: 8, count: 30 });
    sut.start();
    await expectEventually(() => expect(spool.stats().pendingReports).toBe(0));
    expect(sender.seqs()).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
  });

  it('should send the spooled bytes as they are, with their encoding', async () => {
    await start({ concurrency: 2, batchSize: 4, count: 6 });
    sut.start();
    await expectEventually(() => expect(spool.stats().pendingReports).toBe(0));
    for (const { seq, body } of sender.sent) {
      expect(body.encoding).toBe('gzip');
      expect(Buffer.compare(body.bytes, bodies.get(seq)!.bytes)).toBe(0);
    }
  });

  it('should acknowledge only the delivered prefix when a send fails and send the rest again', async () => {
    await start({ concurrency: 1, batchSize: 8, count: 12 });
    sender.answer = (seq, attempt) =>
      seq === 5 && attempt === 1 ? { kind: 'retry', reason: 'HTTP 500', status: 500 } : DELIVERED;
    sut.start();
    await expectEventually(() => expect(spool.stats().pendingReports).toBe(0));
    expect(sender.seqs()).toEqual([1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('should wait out Retry-After and halve its concurrency when ingest answers 429', async () => {
    await start({ concurrency: 4, batchSize: 16, count: 64 });
    sender.answer = (seq, attempt) =>
      seq === 1 && attempt === 1
        ? { kind: 'retry', reason: 'HTTP 429', status: 429, retryAfterMs: 150 }
        : DELIVERED;
    sut.start();
    await expectEventually(() => expect(spool.stats().pendingReports).toBe(0));
    const refusedAt = sender.sent[0].at;
    const later = sender.sent.filter((entry) => entry.at > refusedAt + 50);
    expect(Math.min(...later.map((entry) => entry.at)) - refusedAt).toBeGreaterThanOrEqual(145);
    expect(later.slice(0, 16).every((entry) => entry.inFlight <= 2)).toBe(true);
    expect(new Set(sender.seqs()).size).toBe(64);
  });

  it('should cut in-flight sends short on stop and leave their reports spooled', async () => {
    await start({ concurrency: 2, batchSize: 8, count: 5 });
    sender.answer = () => 'hang';
    sut.start();
    await expectEventually(() => expect(sender.sent.length).toBe(2));
    await sut.stop();
    expect(spool.stats().pendingReports).toBe(5);
  });
});
