/** A request the intake refuses; the controller turns it into problem+json with this status. */
export class IntakeError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 413 | 415 | 429 | 503,
    readonly title: string,
    readonly detail: string,
    readonly extra: { field?: string; line?: number; retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = 'IntakeError';
  }
}

export function badRequest(detail: string, extra: { field?: string; line?: number } = {}): IntakeError {
  return new IntakeError(400, 'Invalid metrics payload', detail, extra);
}
