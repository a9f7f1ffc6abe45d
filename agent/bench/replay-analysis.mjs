// What the proxy saw, per seq: the replayed ones (1…N), when they were first sent and accepted, how often
// they were sent; the live ones (> N), how long from their creation to ingest's 202 and how far apart.

/** `exchanges` from the recording proxy; `doneAt` is when the spool was found empty. */
export function analyseExchanges(exchanges, { reports, startedAt, doneAt }) {
  const statuses = {};
  for (const x of exchanges) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
  const bySeq = new Map();
  for (const x of exchanges) {
    if (x.seq === undefined) continue;
    const entry = bySeq.get(x.seq) ?? {
      requests: 0,
      acceptances: 0,
      sentAt: x.receivedAt,
      accepted: undefined,
      timeMs: x.timeMs,
      samples: x.samples,
      pending: x.pending,
    };
    entry.requests += 1;
    if (x.status < 300) {
      entry.acceptances += 1;
      entry.accepted ??= x.answeredAt;
    }
    bySeq.set(x.seq, entry);
  }
  const replay = exchanges.filter((x) => x.seq <= reports);
  const replayAccepted = [...bySeq].filter(([seq, entry]) => seq <= reports && entry.accepted !== undefined);
  const missing = reports - replayAccepted.length;
  const firstReplayAt = Math.min(...replay.map((x) => x.receivedAt));
  const lastReplayAcceptedAt = Math.max(...replayAccepted.map(([, entry]) => entry.accepted));
  const live = [...bySeq].filter(([seq]) => seq > reports).sort(([a], [b]) => a - b);
  const liveDelays = live.map(([seq, entry]) => ({
    seq,
    ...entry,
    delay: (entry.accepted ?? Infinity) - entry.timeMs,
  }));
  const gaps = liveDelays.slice(1).map((entry, index) => entry.timeMs - liveDelays[index].timeMs);
  const liveSeqs = live.map(([seq]) => seq);
  return {
    statuses,
    replayRequests: replay.length,
    retried: [...bySeq.values()].filter((entry) => entry.requests > 1).length,
    acceptedTwice: [...bySeq.values()].filter((entry) => entry.acceptances > 1).length,
    ingestDuplicates: exchanges.reduce((sum, x) => sum + (x.duplicates ?? 0), 0),
    missing,
    replaySamples: replayAccepted.reduce((sum, [, entry]) => sum + entry.samples, 0),
    firstReplayAt,
    lastReplayAcceptedAt,
    storedSamples: [...bySeq.values()]
      .filter((entry) => entry.accepted)
      .reduce((sum, entry) => sum + entry.samples, 0),
    distinctAccepted: [...bySeq.values()].filter((entry) => entry.accepted).length,
    live: liveDelays,
    liveDuringReplay: liveDelays.filter((entry) => entry.timeMs <= doneAt),
    maxLiveDelay: Math.max(0, ...liveDelays.map((entry) => entry.delay)),
    maxLiveGap: Math.max(0, ...gaps),
    liveSeqGaps: liveSeqs.slice(1).filter((seq, index) => seq !== liveSeqs[index] + 1).length,
    firstLiveAfterStart: liveDelays[0] ? liveDelays[0].timeMs - startedAt : undefined,
  };
}
