// Settings of `npm run bench:alerting`: flags (--hosts=3000 or --hosts 3000) win over BENCH_* variables.

// Through ingest, the whole intake shares the two cores with alerting: the ingest benchmark saturated at
// ~1,080 agent reports/s on its own, so the default fleet is one that ingest can take. Ingest's first
// seconds (new hosts and series registered, JIT) answer slowly: a longer warm-up keeps them out.
const DEFAULT_HOSTS = { direct: 3000, throughIngest: 1000 };
const DEFAULT_WARMUP_SECONDS = { direct: 5, throughIngest: 15 };

const SETTINGS = {
  hosts: { variable: 'BENCH_HOSTS', fallback: DEFAULT_HOSTS, min: 1, max: 1_000_000 },
  metrics: { variable: 'BENCH_METRICS', fallback: 50, min: 2, max: 10_000 },
  seconds: { variable: 'BENCH_SECONDS', fallback: 60, min: 1, max: 86_400 },
  intervalMs: { variable: 'BENCH_INTERVAL_MS', flag: 'interval-ms', fallback: 1000, min: 10, max: 3_600_000 },
  breachEveryMs: {
    variable: 'BENCH_BREACH_EVERY_MS',
    flag: 'breach-every-ms',
    fallback: 500,
    min: 10,
    max: 3_600_000,
  },
  warmupSeconds: {
    variable: 'BENCH_WARMUP_SECONDS',
    flag: 'warmup-seconds',
    fallback: DEFAULT_WARMUP_SECONDS,
    min: 1,
    max: 600,
  },
  drainSeconds: { variable: 'BENCH_DRAIN_SECONDS', flag: 'drain-seconds', fallback: 30, min: 1, max: 3600 },
  partitions: { variable: 'BENCH_PARTITIONS', fallback: 8, min: 1, max: 1024 },
  anomalyMinDeviation: {
    variable: 'BENCH_ANOMALY_MIN_DEVIATION',
    flag: 'anomaly-min-deviation',
    fallback: 5,
    min: 0,
    max: 100,
  },
  maxInFlight: {
    variable: 'BENCH_MAX_IN_FLIGHT',
    flag: 'max-in-flight',
    fallback: 2000,
    min: 1,
    max: 100_000,
  },
  connections: { variable: 'BENCH_CONNECTIONS', fallback: 64, min: 1, max: 10_000 },
};
const SWITCHES = { throughIngest: { variable: 'BENCH_THROUGH_INGEST', flag: 'through-ingest' } };

export const USAGE = `usage: node services/alerting/bench/alerting.bench.mjs [--through-ingest] [--hosts=N] [--metrics=N]
       [--seconds=N] [--interval-ms=N] [--breach-every-ms=N] [--warmup-seconds=N] [--drain-seconds=N]
       [--partitions=N] [--anomaly-min-deviation=N] [--max-in-flight=N] [--connections=N]
  or the variables BENCH_THROUGH_INGEST (1/true), BENCH_HOSTS, BENCH_METRICS, BENCH_SECONDS, BENCH_INTERVAL_MS,
  BENCH_BREACH_EVERY_MS, BENCH_WARMUP_SECONDS, BENCH_DRAIN_SECONDS, BENCH_PARTITIONS,
  BENCH_ANOMALY_MIN_DEVIATION, BENCH_MAX_IN_FLIGHT, BENCH_CONNECTIONS (flags win);
  NATS_URL and DATABASE_URL say where NATS and Postgres are; BENCH_NODE_ARGS goes to the services' node.
  Direct (default): MetricsReports are published straight onto METRICS, up to --max-in-flight unacknowledged.
  --through-ingest (npm run bench:alerting-through-ingest builds all three): the built auth and ingest run
  too, and the fleet posts agent reports to ingest's POST /v1/agent/reports with the bootstrap ingest token
  over --connections keep-alive connections; breaches are agent reports too, and latency runs from the
  report's time to the webhook.
  defaults: 3000 hosts (1000 through ingest) × 50 metrics every 1000 ms for 60 s after 5 s (through ingest
  15 s) of warm-up, one cpu.usage_pct breach every 500 ms, 8 METRICS partitions, 2000 publishes in flight
  (direct), 64 connections (through ingest), up to 30 s after the load for evaluation to catch up and the
  last notifications. The mem.used_pct anomaly rule ignores deviations under 5 points (minDeviation), so the
  simulated noise keeps its baselines busy without opening alerts; 0 lets the noise open and resolve
  anomaly alerts (alert writes on the evaluation path).`;

function readFlags(argv) {
  const switches = new Set(Object.values(SWITCHES).map((setting) => setting.flag));
  const flags = new Map();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') flags.set('help', 'true');
    else if (argument.startsWith('--')) {
      const [name, inline] = argument.slice(2).split('=', 2);
      flags.set(name, inline ?? (switches.has(name) ? 'true' : argv[++index]));
    } else throw new Error(`unexpected argument "${argument}"\n${USAGE}`);
  }
  return flags;
}

function readSwitch(raw, name, variable) {
  if (raw === undefined || raw === '') return false;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`--${name} / ${variable} must be true or false, not "${raw}"`);
}

export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const flags = readFlags(argv);
  if (flags.has('help')) return { help: true };
  const known = new Set(
    [...Object.entries(SETTINGS), ...Object.entries(SWITCHES)].map(([key, setting]) => setting.flag ?? key),
  );
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}\n${USAGE}`);

  const options = {};
  for (const [key, { flag, variable }] of Object.entries(SWITCHES)) {
    options[key] = readSwitch(flags.get(flag) ?? env[variable], flag, variable);
  }
  const mode = options.throughIngest ? 'throughIngest' : 'direct';
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const name = setting.flag ?? key;
    const raw = flags.get(name) ?? env[setting.variable];
    const fallback = typeof setting.fallback === 'object' ? setting.fallback[mode] : setting.fallback;
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
      throw new Error(
        `--${name} / ${setting.variable} must be a whole number from ${setting.min} to ${setting.max}`,
      );
    }
    options[key] = value;
  }
  return options;
}
