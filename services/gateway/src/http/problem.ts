/** One field that failed validation: where it was (`body`, `query`, `params`), its path and why. */
export interface ValidationIssue {
  in: 'body' | 'query' | 'params';
  path: string;
  message: string;
}

/** RFC 9457 problem details plus the machine-readable `code` every Optralis error carries. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId?: string;
  errorId?: string;
  errors?: ValidationIssue[];
  [extension: string]: unknown;
}

export interface ProblemInput {
  status: number;
  title: string;
  code: string;
  detail: string;
  errors?: ValidationIssue[];
  errorId?: string;
  /** Extra members of the body, e.g. `tenants` for `tenant_selection_required`. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `https://optralis.dev/problems/${code.replace(/[._]/g, '-')}`;
}

/** Thrown anywhere in a request; the problem filter sends it as `application/problem+json`. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemInput) {
    super(problem.detail);
    this.name = 'ProblemError';
  }

  static badRequest(detail: string, errors?: ValidationIssue[]): ProblemError {
    return new ProblemError({ status: 400, title: 'Bad request', code: 'invalid_request', detail, errors });
  }

  static unauthorized(detail: string, code = 'unauthorized'): ProblemError {
    return new ProblemError({
      status: 401,
      title: code === 'token_expired' ? 'Token expired' : 'Unauthorized',
      code,
      detail,
      headers: { 'WWW-Authenticate': `Bearer realm="optralis", error="invalid_token"` },
    });
  }

  static forbidden(detail: string): ProblemError {
    return new ProblemError({ status: 403, title: 'Forbidden', code: 'forbidden', detail });
  }

  static notFound(detail: string): ProblemError {
    return new ProblemError({ status: 404, title: 'Not found', code: 'not_found', detail });
  }

  static tooManyRequests(retryAfterSeconds: number): ProblemError {
    return new ProblemError({
      status: 429,
      title: 'Too many requests',
      code: 'rate_limited',
      detail: `slow down: retry in ${retryAfterSeconds} s`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }

  static internal(errorId: string, detail = 'an unexpected error happened; quote the errorId'): ProblemError {
    return new ProblemError({ status: 500, title: 'Internal error', code: 'internal', detail, errorId });
  }
}
