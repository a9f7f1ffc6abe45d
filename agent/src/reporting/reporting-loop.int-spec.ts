import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { AgentReport } from '@optralis/contracts';
import { expectEventually } from '@optralis/testing';

import { Spool } from '../spool/spool';
import { writeLegacySpool } from '../spool/testing/legacy-spool';
import { seqOf, useTemporaryDirectory } from '../spool/testing/spool-fixtures';
import type { DeliveryOutcome, ReportSender } from '../transport/delivery-outcome';
import { type EncodedBody, encodeReport } from '../transport/encoded-body';
import { HttpReportSender } from '../transport/report-sender';
import { FakeIngest } from '../transport/testing/fake-ingest';
import { ReportingLoop, type ReportingLoopOpenOptions } from './reporting-loop';
import { SequenceStore } from './sequence-store';
import { FakeSource, RecordingLogger, samples } from './testing/reporting-fakes';

const TOKEN = 'opt_ing_abcdefgh_0123456789abcdef0123456789abcdef0123456789abcdef';
const HOST = { id: 'host-1', name: 'web-01', tags: ['prod'] };
const FAST_BACKOFF = {
  failure: { initialMs: 20, maxMs: 100 },
  unauthorized: { initialMs: 60_000, maxMs: 60_000 },
};
const START = Date.UTC(2026, 0, 1);

function reportOf(seq: number): AgentReport {
  return { host: HOST, seq, time: new Date(START + seq * 10_000).toISOString(), metrics: samples(20) };
}

/** Refuses every report with a 503 and keeps what it was given. */
class RefusingSender implements ReportSender {
  readonly bodies: EncodedBody[] = [];

  async send(body: EncodedBody): Promise<DeliveryOutcome> {
    this.bodies.push(body);
    return { kind: 'retry', reason: 'HTTP 503', status: 503 };
  }
}

describe(ReportingLoop.name, () => {
  const stateDirectory = useTemporaryDirectory('optralis-loop-');
  let ingest: FakeIngest;
  let logger: RecordingLogger;
  let source: FakeSource;
  const loops: ReportingLoop[] = [];

  beforeEach(async () => {
    ingest = await FakeIngest.start();
    logger = new RecordingLogger();
    source = new FakeSource(5);
  });

  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop()));
    await ingest.close();
  });

  async function openLoop(options: Partial<ReportingLoopOpenOptions> = {}): Promise<ReportingLoop> {
    const loop = await ReportingLoop.open({
      serverUrl: ingest.url,
      token: TOKEN,
      intervalMs: 10,
      host: HOST,
      stateDirectory: stateDirectory(),
      requestTimeoutMs: 1000,
      backoff: FAST_BACKOFF,
      source,
      logger,
      ...options,
    });
    loops.push(loop);
    return loop;
  }

  it('should send a report with the host, a seq, the samples and its own metrics', async () => {
    const now = Date.UTC(2026, 0, 1, 10);
    source.inventory = { os: 'Debian 12' };
    const sut = await openLoop({ now: () => now });
    sut.start();
    await expectEventually(() => expect(ingest.stored.length).toBeGreaterThanOrEqual(2));
    const [first, second] = ingest.received.map((received) => received.report);
    expect(first).toMatchObject({
      host: HOST,
      seq: 0,
      time: '2026-01-01T10:00:00.000Z',
      inventory: { os: 'Debian 12' },
    });
    expect(second.seq).toBe(1);
    expect(second).not.toHaveProperty('inventory');
    expect(first.metrics.map((sample) => sample.name)).toEqual(
      expect.arrayContaining([
        'test.cpu.usage_pct',
        'agent.spool.pending_reports',
        'agent.spool.bytes',
        'agent.spool.dropped_reports',
        'agent.collect_duration_ms',
        'agent.send_failures',
      ]),
    );
  });

  it('should spool while ingest is down and replay everything in seq order, beside live reports, once it is back', async () => {
    const spool = await Spool.open({ directory: `${stateDirectory()}/spool` });
    const spooled: number[] = [];
    const append = spool.append.bind(spool);
    spool.append = async (body) => {
      spooled.push(seqOf(body));
      return append(body);
    };
    const sut = new ReportingLoop({
      source,
      sender: new HttpReportSender({ serverUrl: ingest.url, token: TOKEN, timeoutMs: 1000 }),
      spool,
      sequence: await SequenceStore.open({ directory: stateDirectory() }),
      logger,
      host: HOST,
      intervalMs: 10,
      backoff: FAST_BACKOFF,
      replay: { batchSize: 16, concurrency: 1 },
    });
    loops.push(sut);
    await ingest.goDown();
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBeGreaterThanOrEqual(150));

    ingest.latencyMs = 5;
    await ingest.comeBack();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBe(0), { timeoutMs: 20_000 });
    await sut.stop();

    const replayed = ingest.stored.filter((seq) => spooled.includes(seq));
    expect(replayed).toEqual([...spooled].sort((a, b) => a - b));
    expect(replayed).toEqual(spooled);
    const everySeq = Array.from({ length: Math.max(...ingest.stored) + 1 }, (_, seq) => seq);
    expect([...ingest.stored].sort((a, b) => a - b)).toEqual(everySeq);
    expect(ingest.duplicates()).toBe(0);
    const lastReplayed = ingest.stored.indexOf(spooled.at(-1)!);
    const liveBeforeReplayEnded = ingest.stored
      .slice(0, lastReplayed)
      .filter((seq) => !spooled.includes(seq));
    expect(liveBeforeReplayEnded.some((seq) => seq > spooled[0])).toBe(true);
    expect(logger.messages('warn')).toContain('reporting: ingest is unavailable, reports go to the spool');
    expect(logger.messages('info')).toContain('reporting: ingest is reachable again');
  });

  it('should keep sending live reports straight out while ingest rate-limits the replay (429)', async () => {
    const sut = await openLoop();
    await ingest.goDown();
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBeGreaterThanOrEqual(20));
    let throttling = true;
    const cameBackAt = Date.now();
    const isBacklog = (report: AgentReport) => Date.parse(report.time) < cameBackAt;
    ingest.behaviour = (report) =>
      throttling && isBacklog(report)
        ? { status: 429, headers: { 'retry-after': '1' }, body: '{"title":"Too many requests"}' }
        : { status: 202 };
    await ingest.comeBack();

    // Every one of these arrived while the backlog was still held back by 429s.
    const live = await expectEventually(() => {
      const stored = ingest.received
        .filter((each) => each.status === 202 && !isBacklog(each.report))
        .map((each) => each.report.seq);
      expect(stored.length).toBeGreaterThanOrEqual(10);
      return stored;
    });
    expect(sut.stats().spool.pendingReports).toBeGreaterThanOrEqual(20);
    expect(ingest.received.some((each) => each.status === 429)).toBe(true);
    expect(logger.messages('warn').filter((message) => message.includes('unavailable'))).toHaveLength(1);

    throttling = false;
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBe(0), { timeoutMs: 20_000 });
    expect(live.every((seq) => ingest.stored.indexOf(seq) >= 0)).toBe(true);
  });

  it('should spool the very bytes it tried to send live, compressed', async () => {
    const sender = new RefusingSender();
    const sut = await openLoop({ sender, backoff: { failure: { initialMs: 1, maxMs: 1 } } });
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBeGreaterThanOrEqual(3));
    await sut.stop();
    const spool = await Spool.open({ directory: join(stateDirectory(), 'spool') });
    const records = await spool.peek({ limit: 3 });
    await spool.close();
    // The first body of each seq is the live attempt; replay can only send it after it was spooled.
    const tried = new Map<number, EncodedBody>();
    for (const body of sender.bodies) if (!tried.has(seqOf(body))) tried.set(seqOf(body), body);
    for (const record of records) {
      expect(record.body.encoding).toBe('gzip');
      expect(Buffer.compare(record.body.bytes, tried.get(seqOf(record.body))!.bytes)).toBe(0);
    }
  });

  it('should replay a spool of plain JSON left by the previous agent version after an upgrade', async () => {
    const spoolDirectory = join(stateDirectory(), 'spool');
    const reports = Array.from({ length: 20 }, (_, seq) => ({
      json: Buffer.from(JSON.stringify(reportOf(seq))),
      time: Date.now() - 60_000 + seq,
    }));
    await writeLegacySpool({ directory: spoolDirectory, reports, acknowledged: 4 });
    await writeFile(join(stateDirectory(), 'sequence.json'), JSON.stringify({ reservedUpTo: 20 }));

    const sut = await openLoop({ replay: { batchSize: 8, concurrency: 1 } });
    expect(sut.stats().spool.pendingReports).toBe(16);
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBe(0));
    await expectEventually(() => expect(ingest.stored.length).toBeGreaterThanOrEqual(18));
    const encodingOf = (seq: number) =>
      ingest.received.find((received) => received.report.seq === seq)!.headers['content-encoding'];
    const replayed = ingest.stored.filter((seq) => seq < 20);
    expect(replayed).toEqual(Array.from({ length: 16 }, (_, index) => index + 4));
    expect(replayed.every((seq) => encodingOf(seq) === undefined)).toBe(true);
    expect(ingest.received.find((received) => received.report.seq === 7)!.report).toEqual(reportOf(7));
    expect(new Set(ingest.stored.filter((seq) => seq >= 20).map(encodingOf))).toEqual(new Set(['gzip']));
    expect(ingest.duplicates()).toBe(0);
  });

  it('should log the seq of a spooled report ingest refuses on replay', async () => {
    const spool = await Spool.open({ directory: join(stateDirectory(), 'spool') });
    for (const seq of [0, 1, 2]) await spool.append(await encodeReport(reportOf(seq)));
    await spool.close();
    await writeFile(join(stateDirectory(), 'sequence.json'), JSON.stringify({ reservedUpTo: 3 }));
    ingest.behaviour = (report) => (report.seq === 1 ? { status: 400, body: 'bad' } : { status: 202 });

    const sut = await openLoop({ intervalMs: 60_000, replay: { concurrency: 1 } });
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBe(0));
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'reporting: ingest refused a report, it is dropped',
        fields: expect.objectContaining({ path: 'replay', seq: 1 }),
      }),
    );
  });

  it('should keep seq increasing across a restart on the same state directory', async () => {
    const first = await openLoop();
    first.start();
    await expectEventually(() => expect(ingest.stored.length).toBeGreaterThanOrEqual(3));
    await first.stop();
    const before = Math.max(...ingest.stored);

    const second = await openLoop();
    second.start();
    await expectEventually(() => expect(Math.max(...ingest.stored)).toBeGreaterThan(before + 2));
    const afterRestart = ingest.stored.slice(ingest.stored.indexOf(before) + 1);
    expect(afterRestart.every((seq) => seq > before)).toBe(true);
    expect(afterRestart).toEqual([...afterRestart].sort((a, b) => a - b));
  });

  it('should keep the spool within its bound and count what it drops when ingest fails forever', async () => {
    ingest.behaviour = () => ({ status: 500, body: 'internal error' });
    const sut = await openLoop({
      intervalMs: 2,
      spool: { maxBytes: 48 * 1024 },
      backoff: { failure: { initialMs: 1, maxMs: 5 } },
    });
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.droppedReports).toBeGreaterThan(0), {
      timeoutMs: 20_000,
    });
    const stats = sut.stats();
    expect(stats.spool.bytes).toBeLessThanOrEqual(48 * 1024);
    expect(stats.spool.pendingReports).toBeGreaterThan(0);
    expect(stats.sendFailures).toBeGreaterThan(0);
    const dropped = (metrics: { name: string; value: number }[]) =>
      metrics.find((sample) => sample.name === 'agent.spool.dropped_reports')!.value;
    await expectEventually(() =>
      expect(
        Math.max(...ingest.received.map((received) => dropped(received.report.metrics))),
      ).toBeGreaterThan(0),
    );
  });

  it('should drop a report ingest refuses with 400 without retrying or spooling it', async () => {
    ingest.behaviour = () => ({
      status: 400,
      body: JSON.stringify({ title: 'Invalid metrics payload', detail: 'time: too old' }),
    });
    const sut = await openLoop();
    sut.start();
    await expectEventually(() => expect(ingest.received.length).toBeGreaterThanOrEqual(5));
    await sut.stop();
    const seqs = ingest.received.map((received) => received.report.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(sut.stats()).toMatchObject({ rejectedReports: seqs.length, spool: { pendingReports: 0 } });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ reason: 'HTTP 400: Invalid metrics payload: time: too old' }),
      }),
    );
  });

  it('should keep spooling, log an error and stop asking when the token is refused', async () => {
    ingest.behaviour = () => ({ status: 401, body: JSON.stringify({ title: 'Unauthorized' }) });
    const sut = await openLoop();
    sut.start();
    await expectEventually(() => expect(sut.stats().spool.pendingReports).toBeGreaterThanOrEqual(10));
    expect(ingest.received).toHaveLength(1);
    expect(logger.messages('error')).toEqual([
      'reporting: ingest refused the token; reports are kept in the spool until it is fixed',
    ]);
  });

  it('should go on when the source throws', async () => {
    source.fail = true;
    const sut = await openLoop();
    sut.start();
    await expectEventually(() => expect(ingest.stored.length).toBeGreaterThanOrEqual(2));
    source.fail = false;
    await expectEventually(() => expect(ingest.received.at(-1)!.report.metrics.length).toBeGreaterThan(6));
    expect(logger.messages('error')).toContain('reporting: the source failed');
    expect(ingest.received[0].report.metrics.map((sample) => sample.name)).toContain('agent.send_failures');
  });

  it('should finish the send under way before stop returns and close the spool', async () => {
    ingest.latencyMs = 200;
    const sut = await openLoop({ intervalMs: 60_000 });
    sut.start();
    await expectEventually(() => expect(ingest.received.length).toBe(1));
    await sut.stop();
    expect(ingest.stored).toEqual([0]);
    expect(sut.stats().delivered).toBe(1);
    await expect(
      Spool.open({ directory: `${stateDirectory()}/spool` }).then((spool) => spool.close()),
    ).resolves.toBeUndefined();
  });
});
