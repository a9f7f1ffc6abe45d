// Settings of `npm run bench:ingest`: flags (--hosts=3000 or --hosts 3000) win over BENCH_* variables.

const SETTINGS = {
  hosts: { variable: 'BENCH_HOSTS', fallback: 3000, min: 1, max: 1_000_000 },
  metrics: { variable: 'BENCH_METRICS', fallback: 50, min: 1, max: 10_000 },
  intervalMs: { variable: 'BENCH_INTERVAL_MS', flag: 'interval-ms', fallback: 1000, min: 10, max: 3_600_000 },
  seconds: { variable: 'BENCH_SECONDS', fallback: 60, min: 1, max: 86_400 },
  connections: { variable: 'BENCH_CONNECTIONS', fallback: 64, min: 1, max: 10_000 },
  warmupSeconds: { variable: 'BENCH_WARMUP_SECONDS', flag: 'warmup-seconds', fallback: 5, min: 0, max: 600 },
  drainSeconds: { variable: 'BENCH_DRAIN_SECONDS', flag: 'drain-seconds', fallback: 60, min: 1, max: 3600 },
};
const FORMATS = ['agent', 'remote-write', 'both'];
const PEER_CHOICES = ['auto', 'off'];

export const USAGE = `usage: node services/ingest/bench/ingest.bench.mjs [--hosts=N] [--metrics=N] [--interval-ms=N]
       [--seconds=N] [--connections=N] [--format=agent|remote-write|both] [--peer=auto|off] [--warmup-seconds=N]
       [--drain-seconds=N]
  or the variables BENCH_HOSTS, BENCH_METRICS, BENCH_INTERVAL_MS, BENCH_SECONDS, BENCH_CONNECTIONS,
  BENCH_FORMAT, BENCH_PEER, BENCH_WARMUP_SECONDS, BENCH_DRAIN_SECONDS (flags win).
  defaults: 3000 hosts × 50 metrics every 1000 ms for 60 s per run, 64 connections, format both, peer auto,
  5 s warm-up before each run (not counted), up to 60 s for the writer to drain after each run.`;

function readFlags(argv) {
  const flags = new Map();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') flags.set('help', 'true');
    else if (argument.startsWith('--')) {
      const [name, inline] = argument.slice(2).split('=', 2);
      flags.set(name, inline ?? argv[++index]);
    } else throw new Error(`unexpected argument "${argument}"\n${USAGE}`);
  }
  return flags;
}

function flagName(key, setting) {
  return setting.flag ?? key;
}

export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const flags = readFlags(argv);
  if (flags.has('help')) return { help: true };
  const known = new Set([
    ...Object.entries(SETTINGS).map(([key, setting]) => flagName(key, setting)),
    'format',
    'peer',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}\n${USAGE}`);

  const options = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const name = flagName(key, setting);
    const raw = flags.get(name) ?? env[setting.variable];
    const value = raw === undefined || raw === '' ? setting.fallback : Number(raw);
    if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
      throw new Error(
        `--${name} / ${setting.variable} must be a whole number from ${setting.min} to ${setting.max}`,
      );
    }
    options[key] = value;
  }
  options.format = flags.get('format') ?? env.BENCH_FORMAT ?? 'both';
  if (!FORMATS.includes(options.format))
    throw new Error(`--format / BENCH_FORMAT must be one of ${FORMATS.join(', ')}`);
  options.peer = flags.get('peer') ?? env.BENCH_PEER ?? 'auto';
  if (!PEER_CHOICES.includes(options.peer))
    throw new Error(`--peer / BENCH_PEER must be one of ${PEER_CHOICES.join(', ')}`);
  options.formats = options.format === 'both' ? ['agent', 'remote-write'] : [options.format];
  return options;
}
