import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import { call, type Gateway } from './gateway-test-app';

export const PROMTOOL = '/usr/bin/promtool';

export interface AgentMetric {
  name: string;
  value: number;
  labels?: Record<string, string>;
}

/** `promtool check metrics` on an exposition: its exit status and what it said. */
export function promtoolCheck(exposition: string): { status: number | null; output: string } {
  if (!existsSync(PROMTOOL)) {
    throw new Error(`${PROMTOOL} is missing: install Prometheus's promtool (Debian package prometheus)`);
  }
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** An ingest token made through the gateway, as an admin does for an agent. */
export async function ingestToken(gateway: Gateway, token: string): Promise<string> {
  const created = await gateway.call<{ token: string }>('POST', '/api/v1/ingest-tokens', {
    token,
    body: { name: `agent-${randomUUID().slice(0, 6)}` },
  });
  expect(created.status, created.text).toBe(201);
  return created.body.token;
}

/** One agent report (CONTRACT.md body) posted to ingest; answers the host id. */
export async function postReport(input: {
  ingestUrl: string;
  ingestToken: string;
  host: { id?: string; name: string; tags?: string[] };
  metrics: AgentMetric[];
  seq?: number;
  time?: Date;
}): Promise<string> {
  const hostId = input.host.id ?? randomUUID();
  const sent = await call(input.ingestUrl, 'POST', '/v1/agent/reports', {
    token: input.ingestToken,
    body: {
      host: { id: hostId, name: input.host.name, tags: input.host.tags ?? ['prod'] },
      seq: input.seq ?? 1,
      time: (input.time ?? new Date(Date.now() - 60_000)).toISOString(),
      metrics: input.metrics,
      inventory: { os: 'Debian 12', kernel: '6.1.0', cpu: 'test', memory_bytes: 8_000_000_000 },
    },
  });
  expect(sent.status, sent.text).toBe(202);
  return hostId;
}

/** RFC 4180: quoted fields may hold commas, CRLF and doubled quotes; records end in CRLF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('last record does not end in CRLF');
  return records;
}
