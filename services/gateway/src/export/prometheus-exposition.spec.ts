import { spawnSync } from 'node:child_process';

import type { ExportSeries } from '@optralis/contracts';

import {
  escapeLabelValue,
  exposedLabels,
  formatSampleValue,
  prometheusExposition,
  PrometheusExpositionWriter,
  sanitiseLabelName,
  sanitiseMetricName,
} from './prometheus-exposition';

const time = '2026-11-20T10:00:00.000Z';
const ms = Date.parse(time);

function series(overrides: Partial<ExportSeries> = {}): ExportSeries {
  return {
    hostId: 'host-1',
    hostName: 'web-01',
    name: 'cpu.usage_pct',
    labels: {},
    time,
    value: 12.5,
    ...overrides,
  };
}

function exposition(rows: ExportSeries[], options: { prefix?: string; timestamps?: boolean } = {}) {
  const writer = new PrometheusExpositionWriter({ tenant: 'acme', ...options });
  return { text: writer.write(rows) + writer.end(), stats: writer.stats };
}

/** What the agent of CONTRACT.md and a typical Linux host report (services/ingest/bench/metric-catalogue.mjs). */
const AGENT_SERIES: Pick<ExportSeries, 'name' | 'labels'>[] = [
  { name: 'cpu.usage_pct', labels: {} },
  { name: 'cpu.user_pct', labels: {} },
  { name: 'cpu.system_pct', labels: {} },
  { name: 'cpu.iowait_pct', labels: {} },
  { name: 'load.1m', labels: {} },
  { name: 'load.5m', labels: {} },
  { name: 'load.15m', labels: {} },
  { name: 'mem.used_pct', labels: {} },
  { name: 'mem.available_bytes', labels: {} },
  { name: 'swap.used_pct', labels: {} },
  { name: 'disk.used_pct', labels: { mount: '/' } },
  { name: 'disk.used_pct', labels: { mount: '/var' } },
  { name: 'disk.inodes_used_pct', labels: { mount: '/' } },
  { name: 'disk.read_bytes', labels: { device: 'sda' } },
  { name: 'disk.write_bytes', labels: { device: 'sda' } },
  { name: 'net.rx_bytes', labels: { interface: 'eth0' } },
  { name: 'net.tx_bytes', labels: { interface: 'eth0' } },
  { name: 'net.tcp_established', labels: {} },
  { name: 'processes.total', labels: {} },
  { name: 'system.uptime_seconds', labels: {} },
  { name: 'service.up', labels: { service: 'nginx' } },
  { name: 'temperature.celsius', labels: { sensor: 'cpu' } },
];

/** Rows as `rpc.ingest.export.latest` pages bring them: in Prometheus metric name order. */
function inExportOrder(rows: ExportSeries[]): ExportSeries[] {
  return [...rows].sort((left, right) => {
    const [a, b] = [sanitiseMetricName(left.name), sanitiseMetricName(right.name)];
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function fleet(hosts: number): ExportSeries[] {
  const rows = Array.from({ length: hosts }, (_, index) =>
    AGENT_SERIES.map((entry, metric) =>
      series({ ...entry, hostId: `host-${index}`, hostName: `web-${index}`, value: index * metric }),
    ),
  ).flat();
  return inExportOrder(rows);
}

describe(PrometheusExpositionWriter.name, () => {
  describe('names and values', () => {
    it('should turn stored metric names into Prometheus names', () => {
      expect(sanitiseMetricName('cpu.usage_pct')).toBe('cpu_usage_pct');
      expect(sanitiseMetricName('disk.used_pct')).toBe('disk_used_pct');
      expect(sanitiseMetricName('http-requests/total:rate')).toBe('http_requests_total:rate');
      expect(sanitiseMetricName('1m.load')).toBe('_1m_load');
      expect(sanitiseMetricName('temp.°c')).toBe('temp__c');
      expect(sanitiseMetricName('node_cpu_seconds_total')).toBe('node_cpu_seconds_total');
      expect(sanitiseMetricName('cpu.usage_pct', 'optralis_')).toBe('optralis_cpu_usage_pct');
    });

    it('should turn label names into valid ones that never start with two underscores', () => {
      expect(sanitiseLabelName('mount')).toBe('mount');
      expect(sanitiseLabelName('service.name')).toBe('service_name');
      expect(sanitiseLabelName('1st')).toBe('_1st');
      expect(sanitiseLabelName('a:b')).toBe('a_b');
      expect(sanitiseLabelName('__name__')).toBe('exported___name__');
      expect(sanitiseLabelName('.hidden.')).toBe('_hidden_');
      expect(sanitiseLabelName('..x')).toBe('exported___x');
      expect(sanitiseLabelName('')).toBe('_');
    });

    it('should rename series labels that collide with reserved or earlier labels with exported_', () => {
      expect(
        exposedLabels({
          host: 'spoofed',
          exported_host: 'taken',
          tenant: 'other',
          'host.name': 'dotted',
          'a.b': 'dotted',
          a_b: 'plain',
          empty: '',
        }),
      ).toEqual([
        ['a_b', 'plain'],
        ['exported_host', 'taken'],
        ['exported_exported_host', 'spoofed'],
        ['exported_tenant', 'other'],
        ['exported_a_b', 'dotted'],
        ['exported_host_name', 'dotted'],
      ]);
    });

    it('should escape backslashes, quotes and line feeds in label values', () => {
      expect(escapeLabelValue('C:\\temp "x"\nnext\rline')).toBe('C:\\\\temp \\"x\\"\\nnext\rline');
    });

    it('should write NaN and infinities as Prometheus spells them', () => {
      expect(
        [Number.NaN, Infinity, -Infinity, -0, 1e21, 5e-324, -1.5].map((value) => formatSampleValue(value)),
      ).toEqual(['NaN', '+Inf', '-Inf', '0', '1e+21', '5e-324', '-1.5']);
    });
  });

  describe('families', () => {
    it('should write one HELP and TYPE per family with the tenant and host labels and the report time', () => {
      const { text } = exposition([
        series(),
        series({ hostId: 'host-2', hostName: 'db-01', value: 3 }),
        series({ name: 'disk.used_pct', labels: { mount: '/' }, value: 71.2 }),
      ]);

      expect(text).toBe(
        [
          '# HELP cpu_usage_pct Latest value of cpu.usage_pct reported to Optralis.',
          '# TYPE cpu_usage_pct gauge',
          `cpu_usage_pct{host="host-1",host_name="web-01",tenant="acme"} 12.5 ${ms}`,
          `cpu_usage_pct{host="host-2",host_name="db-01",tenant="acme"} 3 ${ms}`,
          '# HELP disk_used_pct Latest value of disk.used_pct reported to Optralis.',
          '# TYPE disk_used_pct gauge',
          `disk_used_pct{host="host-1",host_name="web-01",mount="/",tenant="acme"} 71.2 ${ms}`,
          '',
        ].join('\n'),
      );
    });

    it('should leave timestamps out when asked and put the prefix before every name', () => {
      const { text } = exposition([series()], { prefix: 'optralis_', timestamps: false });

      expect(text).toContain(
        '\noptralis_cpu_usage_pct{host="host-1",host_name="web-01",tenant="acme"} 12.5\n',
      );
      expect(text).toContain('# TYPE optralis_cpu_usage_pct gauge\n');
    });

    it('should refuse a prefix that is not a metric name', () => {
      expect(() => new PrometheusExpositionWriter({ tenant: 'acme', prefix: 'bad-prefix' })).toThrow(
        /prefix/,
      );
    });

    it('should keep a family whole when its series span several pages and write it once', async () => {
      const writer = new PrometheusExpositionWriter({ tenant: 'acme', timestamps: false });
      const pages = [
        { series: [series({ name: 'cpu.usage' }), series({ name: 'cpu_usage', hostId: 'host-2' })] },
        { series: [series({ name: 'cpu-usage', hostId: 'host-3' }), series({ name: 'mem.used_pct' })] },
        { series: [series({ name: 'mem.used_pct', hostId: 'host-2' })] },
      ];
      async function* source() {
        yield* pages;
      }

      const chunks: string[] = [];
      for await (const chunk of prometheusExposition(source(), writer)) chunks.push(chunk);

      expect(chunks).toHaveLength(2);
      expect(chunks[0]).toMatch(
        /^# HELP cpu_usage Latest value of cpu\.usage, cpu_usage, cpu-usage reported/,
      );
      expect(chunks[0].match(/^cpu_usage\{/gm)).toHaveLength(3);
      expect(chunks[1].match(/^# TYPE mem_used_pct gauge$/gm)).toHaveLength(1);
      expect(chunks[1].match(/^mem_used_pct\{/gm)).toHaveLength(2);
      expect(writer.stats).toEqual({ families: 2, samples: 5, duplicates: 0, outOfOrder: 0 });
    });

    it('should keep the first of series that are equal once sanitised and count the others', () => {
      const { text, stats } = exposition([
        series({ name: 'cpu.usage', labels: { 'core.id': '0' }, value: 1 }),
        series({ name: 'cpu_usage', labels: { core_id: '0' }, value: 2 }),
        series({ name: 'cpu_usage', labels: { core_id: '0', empty: '' }, value: 3 }),
        series({ name: 'cpu_usage', labels: { core_id: '1' }, value: 4 }),
      ]);

      expect(text.match(/^cpu_usage\{.*\} (\d)/gm)?.map((line) => line.at(-1))).toEqual(['1', '4']);
      expect(stats).toMatchObject({ samples: 2, duplicates: 2 });
    });

    it('should drop a series whose family was already written rather than split the family', () => {
      const { text, stats } = exposition([
        series({ name: 'a.metric' }),
        series({ name: 'b.metric' }),
        series({ name: 'a_metric', hostId: 'host-2' }),
      ]);

      expect(text.match(/^# TYPE a_metric /gm)).toHaveLength(1);
      expect(text).not.toContain('host="host-2"');
      expect(stats).toEqual({ families: 2, samples: 2, duplicates: 0, outOfOrder: 1 });
    });

    it('should type _total names as counters and histogram or summary parts as untyped', () => {
      const { text } = exposition([
        series({ name: 'http.latency', labels: { quantile: '0.5' } }),
        series({ name: 'http.latency_bucket', labels: { le: '+Inf' } }),
        series({ name: 'http.latency_count' }),
        series({ name: 'http.requests_total' }),
        series({ name: 'net.rx_bytes' }),
      ]);

      expect(text.match(/^# TYPE .*$/gm)).toEqual([
        '# TYPE http_latency untyped',
        '# TYPE http_latency_bucket untyped',
        '# TYPE http_latency_count untyped',
        '# TYPE http_requests_total counter',
        '# TYPE net_rx_bytes gauge',
      ]);
    });

    it('should escape hostile host names, label values and help text', () => {
      const { text } = exposition([
        series({
          hostName: 'evil"} 1\n# TYPE x counter',
          labels: { path: 'C:\\dir\\"quoted"', host: 'spoofed' },
          value: Number.NaN,
        }),
      ]);

      expect(text.split('\n')).toHaveLength(4);
      expect(text).toContain('host_name="evil\\"} 1\\n# TYPE x counter"');
      expect(text).toContain('path="C:\\\\dir\\\\\\"quoted\\""');
      expect(text).toContain('exported_host="spoofed",host="host-1"');
      expect(text).toContain(`} NaN ${ms}\n`);
    });

    it('should write nothing at all for an empty export', () => {
      expect(exposition([]).text).toBe('');
    });
  });

  describe('promtool check metrics', () => {
    function promtool(text: string): { status: number | null; problems: string[] } {
      const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
      if (found.status !== 0) {
        throw new Error(
          'promtool is not installed, so the exposition cannot be checked: install it with ' +
            '`apt-get install -y prometheus` (.ci/run does so in CI). This test does not skip.',
        );
      }
      const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      return { status: run.status, problems: run.stderr.split('\n').filter((line) => line !== '') };
    }

    it('should pass promtool without a single lint problem for a fleet of agent metrics', () => {
      const { text } = exposition(fleet(50));

      expect(promtool(text)).toEqual({ status: 0, problems: [] });
    });

    it('should parse in promtool for hostile names, labels and values with no problem of its own making', () => {
      const hostile = inExportOrder([
        ...fleet(2),
        series({ name: '1m.load', value: Infinity }),
        series({ name: 'ünïcödé.metric', value: -Infinity }),
        series({ name: 'a'.repeat(200), value: Number.NaN }),
        series({ name: 'weird-name/with:colon', labels: { '': 'empty', '1st': 'x', 'a.b': '1', a_b: '2' } }),
        series({ name: 'weird_name_with:colon', labels: { '1st': 'x', 'a.b': '1', a_b: '2' } }),
        series({
          name: 'evil.metric',
          hostName: 'evil"} 1\n# TYPE x counter',
          labels: {
            __name__: 'spoof',
            host: 'spoof',
            tenant: 'spoof',
            host_name: 'spoof',
            exported_host: 'x',
            quote: 'a"b\\c\nd\re\tf',
            emoji: '🔥 ☃',
          },
          value: 1e308,
        }),
        series({ name: 'evil.metric', hostId: 'host-2', labels: { le: '0.5' }, value: -0 }),
        series({ name: 'requests_total', value: 5e-324 }),
        series({ name: 'latency_bucket', labels: { le: '+Inf' } }),
      ]);
      const { text } = exposition(hostile);

      const { status, problems } = promtool(text);

      // Only names as the hosts chose them may draw lint ("ms" units, recording-rule colons); nothing else.
      const chosenByHosts = /abbreviated units|base unit|camelCase|should not contain ':'/;
      expect(problems.filter((line) => !chosenByHosts.test(line))).toEqual([]);
      expect([0, 3]).toContain(status);
    });
  });
});
