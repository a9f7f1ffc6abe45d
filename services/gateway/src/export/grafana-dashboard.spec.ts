import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sanitiseMetricName } from './prometheus-exposition';

const GRAFANA = join(__dirname, '../../../../infra/grafana');

/** Metric names the Optralis agent reports (CONTRACT.md, services/ingest/bench/metric-catalogue.mjs). */
const AGENT_METRICS = [
  'cpu.usage_pct',
  'cpu.user_pct',
  'cpu.system_pct',
  'cpu.iowait_pct',
  'cpu.steal_pct',
  'cpu.idle_pct',
  'load.1m',
  'load.5m',
  'load.15m',
  'mem.used_pct',
  'mem.available_bytes',
  'swap.used_pct',
  'disk.used_pct',
  'disk.inodes_used_pct',
  'disk.read_bytes',
  'disk.write_bytes',
  'net.rx_bytes',
  'net.tx_bytes',
  'system.uptime_seconds',
];
const EXPORTED = new Set(AGENT_METRICS.map((name) => sanitiseMetricName(name)));
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'bool', 'and', 'or', 'unless', 'offset']);

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos?: unknown;
  datasource?: { uid?: string };
  targets?: { expr: string }[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  query: string;
}

interface Dashboard {
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

function dashboards(): [string, Dashboard][] {
  const folder = join(GRAFANA, 'dashboards');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(folder, file), 'utf8')) as Dashboard]);
}

function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The PromQL of every target and of every query variable (`query_result(…)` unwrapped). */
function expressions(dashboard: Dashboard): string[] {
  const targets = panelsOf(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const variables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => variable.query.replace(/^query_result\((.*)\)$/s, '$1'))
    .filter((query) => !/^label_values\(\w+\)$/.test(query));
  return [...targets, ...variables];
}

/** Identifiers left once strings, matchers, ranges, grouping clauses and function calls are taken out. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/(?<![\w$.])[a-zA-Z_:][\w:.]*/g)]
    .filter((match) => !/^\s*\(/.test(bare.slice(match.index + match[0].length)))
    .map(([name]) => name)
    .filter((name) => !PROMQL_WORDS.has(name));
}

function promtool(args: string[], input?: string) {
  if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) {
    throw new Error(
      'promtool is not installed: install it with `apt-get install -y prometheus` (.ci/run does so in CI).',
    );
  }
  const run = spawnSync('promtool', args, { input, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('Grafana dashboards and Prometheus config (infra/grafana)', () => {
  it('should find the metric names of an expression', () => {
    expect(
      metricNames('topk(10, max by (host) (rate(net_rx_bytes{mount="/a.b"}[5m]))) / on(host) cpu.usage_pct'),
    ).toEqual(['net_rx_bytes', 'cpu.usage_pct']);
  });

  it.each(dashboards())('should give %s the schema, variables and panels Grafana expects', (_, dashboard) => {
    const panels = panelsOf(dashboard);

    expect(dashboard.uid).toMatch(/^[a-z0-9-]+$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual([
      'datasource',
      'tenant',
      'host',
    ]);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.gridPos, panel.title).toBeDefined();
      if (panel.type !== 'row') expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
    }
  });

  it.each(dashboards())(
    'should chart in %s only names the exposition writes for agent metrics',
    (_, dashboard) => {
      const names = expressions(dashboard).flatMap(metricNames);

      expect(names.length).toBeGreaterThan(10);
      expect(names.filter((name) => !EXPORTED.has(name))).toEqual([]);
      for (const expr of expressions(dashboard)) {
        expect(expr, 'every chart is narrowed to the chosen tenants').toContain('tenant=~"$tenant"');
      }
    },
  );

  it.each(dashboards())('should give %s expressions that parse in Prometheus', (_, dashboard) => {
    const rules = expressions(dashboard).map((expr, index) => ({
      record: `dashboard:expression_${index}`,
      expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$tenant', 'acme').replaceAll('$host', 'h1'),
    }));
    const folder = mkdtempSync(join(tmpdir(), 'optralis-dashboard-'));
    try {
      const file = join(folder, 'rules.json');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));

      const result = promtool(['check', 'rules', file]);

      expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.status).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('should scrape the export every 15 s with a bearer token file and the export labels kept', () => {
    const config = readFileSync(join(GRAFANA, 'prometheus.yml'), 'utf8');
    const folder = mkdtempSync(join(tmpdir(), 'optralis-prometheus-'));
    try {
      writeFileSync(join(folder, 'token'), 'optralis-api-token\n');
      const file = join(folder, 'prometheus.yml');
      writeFileSync(file, config.replace('/etc/prometheus/optralis-token', join(folder, 'token')));

      const result = promtool(['check', 'config', file]);

      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(config).toMatch(/^ {4}metrics_path: \/api\/v1\/export\/prometheus$/m);
    expect(config).toMatch(/^ {4}honor_labels: true$/m);
    expect(config).toMatch(/^ {4}scrape_interval: 15s$/m);
    expect(config).toMatch(/^ {6}credentials_file: \/etc\/prometheus\/optralis-token$/m);
  });
});
