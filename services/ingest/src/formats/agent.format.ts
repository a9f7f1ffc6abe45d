import { createHash } from 'node:crypto';

import { AgentReport, type MetricsReport } from '@optralis/contracts';
import type { z } from 'zod';

import { badRequest } from '../intake/intake.errors';
import { parseJson } from './json-body';
import { noneDropped, type NormaliseContext, type NormalisedRequest } from './normalise';
import { TimeBounds } from './time-bounds';

const MAX_REPORT_ID_LENGTH = 200;

/** `POST /v1/agent/reports`: one AgentReport (JSON text, bytes or an already parsed value) → one MetricsReport. */
export function normaliseAgentReport(body: unknown, context: NormaliseContext): NormalisedRequest {
  const value = typeof body === 'string' || body instanceof Uint8Array ? parseJson(body) : body;
  const parsed = AgentReport.safeParse(value);
  if (!parsed.success) throw refusal(parsed.error.issues[0], value);
  const agent = parsed.data;
  const time = Date.parse(agent.time);
  const problem = new TimeBounds(context).problem(time);
  if (problem !== undefined) throw badRequest(`time: ${problem}`, { field: 'time' });

  const report: MetricsReport = {
    id: reportId(context.tenantId, agent.host.id, agent.seq),
    tenantId: context.tenantId,
    hostId: agent.host.id,
    hostName: agent.host.name,
    source: 'agent',
    seq: agent.seq,
    time: new Date(time).toISOString(),
    receivedAt: context.receivedAt.toISOString(),
    samples: agent.metrics,
  };
  if (agent.host.tags !== undefined) report.tags = agent.host.tags;
  if (agent.inventory !== undefined) report.inventory = agent.inventory;
  return { reports: [report], dropped: noneDropped() };
}

/** Readable when it fits the 200 characters of a report id; a digest of the same triple when it does not. */
function reportId(tenantId: string, hostId: string, seq: number): string {
  const id = `agent:${tenantId}:${hostId}:${seq}`;
  if (id.length <= MAX_REPORT_ID_LENGTH) return id;
  return `agent:${createHash('sha256').update(id).digest('hex')}`;
}

function refusal(issue: z.core.$ZodIssue | undefined, value: unknown) {
  if (issue === undefined) return badRequest('body is not a valid agent report');
  const field = issue.path.map(String).join('.');
  const found = valueAt(value, issue.path);
  const message =
    typeof found === 'number' && !Number.isFinite(found) ? 'must be a finite number' : issue.message;
  return badRequest(`${field === '' ? 'body' : field}: ${message}`, field === '' ? {} : { field });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
