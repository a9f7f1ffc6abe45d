import { gunzipSync } from 'node:zlib';

import type { AgentReport } from '@optralis/contracts';

import { decodeBody, encodeReport } from './encoded-body';

const REPORT: AgentReport = {
  host: { id: 'host-1', name: 'web-01' },
  seq: 3,
  time: '2026-01-01T00:00:00.000Z',
  metrics: Array.from({ length: 200 }, (_, index) => ({ name: 'cpu.core.usage_pct', value: index / 7 })),
};

describe('encoded bodies', () => {
  it('should compress the report JSON with gzip', async () => {
    const body = await encodeReport(REPORT);
    expect(body.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(body.bytes).toString('utf8'))).toEqual(REPORT);
    expect(body.bytes.length).toBeLessThan(JSON.stringify(REPORT).length / 5);
  });

  it('should give the JSON back whatever the encoding', async () => {
    const text = JSON.stringify(REPORT);
    expect(decodeBody(await encodeReport(REPORT)).toString('utf8')).toBe(text);
    expect(decodeBody({ bytes: Buffer.from(text), encoding: 'identity' }).toString('utf8')).toBe(text);
  });
});
