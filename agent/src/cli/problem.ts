import { z } from 'zod';

import { CliError, exitCodeOfStatus } from './cli-errors';

/** The RFC 9457 fields the CLI shows; the gateway sends more. */
const Problem = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  status: z.number().optional(),
});

const MAX_DETAIL_LENGTH = 500;

/** `title: detail` of a problem+json answer, or the HTTP status line when the body is something else. */
export function problemMessage(input: { status: number; statusText: string; body: string }): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.body);
  } catch {
    parsed = undefined;
  }
  const problem = Problem.safeParse(parsed);
  const fallback = `HTTP ${input.status}${input.statusText ? ` ${input.statusText}` : ''}`;
  if (!problem.success || !(problem.data.title || problem.data.detail)) return fallback;
  const title = problem.data.title || fallback;
  const detail = problem.data.detail?.slice(0, MAX_DETAIL_LENGTH);
  return detail ? `${title}: ${detail}` : title;
}

export function problemError(input: { status: number; statusText: string; body: string }): CliError {
  return new CliError(problemMessage(input), exitCodeOfStatus(input.status));
}
