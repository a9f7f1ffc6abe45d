import { AgentReport } from './agent-report';
import { MetricsReport } from './metrics-report';

const contractExample = {
  host: { id: '4c4c4544-0031-3510-8052-b4c04f4d3232', name: 'web-01', tags: ['prod'] },
  seq: 1842,
  time: '2026-11-20T10:00:00.000Z',
  metrics: [
    { name: 'cpu.usage_pct', value: 12.5 },
    { name: 'disk.used_pct', value: 71.2, labels: { mount: '/' } },
  ],
  inventory: { os: 'Debian 12', kernel: '6.1.0', cpu: '…', memory_bytes: 25000000000 },
};

describe('AgentReport', () => {
  it('should accept the example of CONTRACT.md when parsed', () => {
    expect(AgentReport.parse(contractExample)).toMatchObject({ seq: 1842, host: { name: 'web-01' } });
  });

  it.each([
    ['a host id with a dot', { host: { ...contractExample.host, id: 'a.b' } }, 'host.id'],
    ['a negative seq', { seq: -1 }, 'seq'],
    ['a time without zone', { time: '2026-11-20 10:00' }, 'time'],
    [
      'a non-finite value',
      { metrics: [{ name: 'cpu', value: Number.POSITIVE_INFINITY }] },
      'metrics.0.value',
    ],
    ['a metric name with spaces', { metrics: [{ name: 'cpu usage', value: 1 }] }, 'metrics.0.name'],
    ['a string value', { metrics: [{ name: 'cpu', value: '12' }] }, 'metrics.0.value'],
  ])('should reject %s and name the field', (_title, override, path) => {
    const result = AgentReport.safeParse({ ...contractExample, ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('should reject an oversized report when it carries more samples than the limit', () => {
    const metrics = Array.from({ length: 10_001 }, (_, index) => ({ name: `m${index}`, value: index }));
    expect(AgentReport.safeParse({ ...contractExample, metrics }).success).toBe(false);
  });

  it('should reject too many labels on one sample when a sender explodes cardinality', () => {
    const labels = Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`k${index}`, 'v']));
    expect(
      AgentReport.safeParse({ ...contractExample, metrics: [{ name: 'cpu', value: 1, labels }] }).success,
    ).toBe(false);
  });
});

describe('MetricsReport', () => {
  it('should require the tenant and source when normalised', () => {
    const result = MetricsReport.safeParse({
      id: 'r1',
      hostId: 'h1',
      hostName: 'h1',
      time: '2026-11-20T10:00:00.000Z',
      receivedAt: '2026-11-20T10:00:00.100Z',
      samples: [],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(['source', 'tenantId']);
  });
});
