// Turns the runs into the printed tables: one column per run, then the targets and the peer comparison.

const TARGET_REPORTS_PER_SECOND = 3000;
const TARGET_METRICS = 50;
const TARGET_SECONDS = 60;
const TARGET_HTTP_P99_MS = 50;
const TARGET_LAG_P99_MS = 2000;
const MAX_DRAIN_MS = 5000;

export function percentile(sorted, p) {
  if (!sorted || sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const whole = (value) => (value === undefined ? '–' : Math.round(value).toLocaleString('en'));
const ms = (value) => (value === undefined ? '–' : value >= 100 ? `${Math.round(value)}` : value.toFixed(1));
const seconds = (value) => (value === undefined ? '–' : `${(value / 1000).toFixed(2)} s`);
const mebibytes = (value) => (value === undefined ? '–' : `${Math.round(value / 1048576)} MiB`);
const perMillion = (cpuSeconds, samples) => (samples > 0 ? (cpuSeconds / (samples / 1e6)).toFixed(2) : '–');

/** Derived figures of one run, shared by the table, the targets and the comparison. */
export function summarise(run) {
  const { fleet } = run;
  const window = fleet.windowSeconds;
  const acceptedSamples = fleet.accepted * fleet.samplesPerReport;
  const cpuTotal = Object.values(run.cpu.groups)
    .filter((group) => group.inTotal)
    .reduce((sum, group) => sum + group.seconds, 0);
  return {
    offeredReports: fleet.offered / window,
    acceptedReports: fleet.accepted / window,
    offeredSamples: (fleet.offered * fleet.samplesPerReport) / window,
    acceptedSamples,
    acceptedSamplesPerSecond: acceptedSamples / window,
    httpP50: percentile(fleet.latencies, 50),
    httpP90: percentile(fleet.latencies, 90),
    httpP99: percentile(fleet.latencies, 99),
    httpMax: percentile(fleet.latencies, 100),
    cpuTotal,
  };
}

function statusText(fleet) {
  const parts = [...fleet.statuses]
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code}×${whole(count)}`);
  return parts.join(' ') || 'none';
}

function lagText(lag) {
  if (!lag || lag.p50 === undefined) return lag?.note ?? '–';
  const above = (quantile) => (quantile.above ? '>' : '');
  return `${above(lag.p50)}${ms(lag.p50.ms)} / ${above(lag.p99)}${ms(lag.p99.ms)} ms`;
}

/** Rows of [label, value per run]. */
function rows(runs) {
  const summaries = runs.map(summarise);
  const each = (format) => runs.map((run, index) => format(run, summaries[index]));
  const cpuLabels = [...new Set(runs.flatMap((run) => Object.keys(run.cpu.groups)))];
  return [
    ['offered reports/s', each((run, s) => whole(s.offeredReports))],
    ['accepted reports/s (2xx)', each((run, s) => whole(s.acceptedReports))],
    ['offered samples/s', each((run, s) => whole(s.offeredSamples))],
    ['accepted samples/s (2xx)', each((run, s) => whole(s.acceptedSamplesPerSecond))],
    ['not sent (schedule fell behind)', each((run) => whole(run.fleet.notSent))],
    ['HTTP status counts', each((run) => statusText(run.fleet))],
    ['HTTP latency p50 / p90 ms', each((run, s) => `${ms(s.httpP50)} / ${ms(s.httpP90)}`)],
    ['HTTP latency p99 / max ms', each((run, s) => `${ms(s.httpP99)} / ${ms(s.httpMax)}`)],
    [
      'send lateness p50 / p99 / max ms',
      each((run) => [50, 99, 100].map((p) => ms(percentile(run.fleet.lateness, p))).join(' / ')),
    ],
    ['due → answered p99 ms', each((run) => ms(percentile(run.fleet.sinceDue, 99)))],
    [
      'stored samples/s during load',
      each((run) => storageCell(run, (storage) => whole(storage.duringLoadPerSecond))),
    ],
    [
      'backlog when load stopped (samples)',
      each((run) => storageCell(run, (storage) => whole(storage.backlogAtLoadEnd))),
    ],
    [
      'stored after drain / accepted',
      each((run) =>
        storageCell(run, (storage, s) => `${whole(storage.storedAfterDrain)} / ${whole(s.acceptedSamples)}`),
      ),
    ],
    ['drain after load stopped', each((run) => storageCell(run, (storage) => drainText(storage)))],
    ['end-to-end lag p50 / p99', each((run) => lagText(run.lag))],
    ['lag source', each((run) => run.lag?.source ?? '–')],
    ['report time → committed p50 / p99', each((run) => lagText(run.reportAge))],
    ...cpuLabels.map((label) => [
      `CPU s per M samples: ${label}`,
      each((run, s) =>
        run.cpu.groups[label]?.pids > 0 ? perMillion(run.cpu.groups[label].seconds, s.acceptedSamples) : '–',
      ),
    ]),
    ['CPU s per M samples: total', each((run, s) => perMillion(s.cpuTotal, s.acceptedSamples))],
    ['CPU s per M samples: load generator', each((run, s) => perMillion(run.cpu.own, s.acceptedSamples))],
    ['CPU seconds (server side, total)', each((run, s) => s.cpuTotal.toFixed(1))],
    ['CPU seconds (load generator)', each((run) => run.cpu.own.toFixed(1))],
    ['peak RSS (VmHWM)', each((run) => `${run.peakRssLabel}: ${mebibytes(run.peakRss)}`)],
  ];
}

function storageCell(run, format) {
  if (!run.storage) return 'n/a';
  if (run.storage.storedAfterDrain === undefined) return 'no ingest.samples';
  return format(run.storage, summarise(run));
}

function drainText(storage) {
  const time = seconds(storage.drainMs);
  return storage.complete ? time : `${storage.reason} after ${time}`;
}

export function printRunTable(runs) {
  const table = [['', runs.map((run) => run.title)], ...rows(runs)];
  const labelWidth = Math.max(...table.map(([label]) => label.length));
  const widths = runs.map((_, index) => Math.max(...table.map(([, values]) => String(values[index]).length)));
  for (const [label, values] of table) {
    const cells = values.map((value, index) => String(value).padStart(widths[index]));
    console.log(`  ${label.padEnd(labelWidth)}  ${cells.join('   ')}`);
  }
}

/** met / NOT met per issue target; a run below the target load says so instead of claiming the target. */
export function printTargets(runs, options) {
  const atTargetLoad =
    options.hosts * (1000 / options.intervalMs) >= TARGET_REPORTS_PER_SECOND &&
    options.metrics >= TARGET_METRICS &&
    options.seconds >= TARGET_SECONDS;
  const mark = (met) => (met ? 'met' : 'NOT met');
  const loadNote = atTargetLoad ? '' : ' (run below the target load: not a verdict)';
  console.log(`\nTargets (issue), per Optralis run${loadNote}:`);
  for (const run of runs) {
    const s = summarise(run);
    const storage = run.storage ?? {};
    const allStored = storage.complete && storage.drainMs <= MAX_DRAIN_MS;
    const sustained = atTargetLoad && s.acceptedReports >= 0.999 * s.offeredReports && allStored;
    const lagP99 = run.lag?.p99;
    console.log(`  ${run.title}:`);
    console.log(
      `    ≥ ${TARGET_REPORTS_PER_SECOND.toLocaleString('en')} reports/s × ${TARGET_METRICS} metrics sustained and ` +
        `stored for ${TARGET_SECONDS} s: ${whole(s.acceptedReports)} reports/s accepted, ` +
        `${allStored ? 'all stored' : 'not all stored'} → ${atTargetLoad ? mark(sustained) : 'n/a'}`,
    );
    console.log(
      `    HTTP p99 < ${TARGET_HTTP_P99_MS} ms: ${ms(s.httpP99)} ms → ${mark(s.httpP99 < TARGET_HTTP_P99_MS)}`,
    );
    const lagMet = lagP99 !== undefined && !lagP99.above && lagP99.ms < TARGET_LAG_P99_MS;
    console.log(
      `    end-to-end lag p99 < ${TARGET_LAG_P99_MS / 1000} s: ${lagText(run.lag)} → ` +
        `${lagP99 === undefined ? 'not measured' : mark(lagMet)}`,
    );
  }
  console.log(
    `  (sustained = accepted ≥ 99.9 % of offered and every accepted sample stored within ` +
      `${MAX_DRAIN_MS / 1000} s of the load stopping)`,
  );
}

export function printPeerComparison(optralis, peer) {
  const ours = summarise(optralis);
  const theirs = summarise(peer);
  const ratio = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : '–');
  const cpuOurs = ours.cpuTotal / (ours.acceptedSamples / 1e6);
  const cpuTheirs = theirs.cpuTotal / (theirs.acceptedSamples / 1e6);
  console.log(`\nOptralis (${optralis.title}) / ${peer.title}:`);
  console.log(
    `  accepted samples/s   ${whole(ours.acceptedSamplesPerSecond)} / ${whole(theirs.acceptedSamplesPerSecond)} = ` +
      ratio(ours.acceptedSamplesPerSecond, theirs.acceptedSamplesPerSecond),
  );
  console.log(
    `  HTTP p99 ms          ${ms(ours.httpP99)} / ${ms(theirs.httpP99)} = ${ratio(ours.httpP99, theirs.httpP99)}`,
  );
  console.log(
    `  CPU s per M samples  ${cpuOurs.toFixed(2)} / ${cpuTheirs.toFixed(2)} = ${ratio(cpuOurs, cpuTheirs)} ` +
      '(Optralis: auth + ingest + nats-server + postgres; Prometheus: its one process)',
  );
}
