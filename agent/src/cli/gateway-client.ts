import { z } from 'zod';

import { CliError, ExitCode } from './cli-errors';
import { formatDuration } from './format/duration';
import { problemError } from './problem';

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface GatewayClientOptions {
  /** The gateway's address; a path (a proxy's prefix) is kept. */
  server: URL;
  token: string;
  /** Whole request for JSON answers; longest silence for downloads. */
  timeoutMs: number;
}

export interface ListResult<T> {
  items: T[];
  /** The server had more than `limit`. */
  more: boolean;
}

/** The largest `limit` the list routes accept. */
export const MAX_PAGE_SIZE = 500;

function pageOf<T>(item: z.ZodType<T>) {
  return z.object({ items: z.array(item), nextCursor: z.string().min(1).nullable() });
}

class IdleTimeout extends Error {}

/** The public REST API as the CLI uses it: bearer token, timeouts, problem+json, cursor pages. */
export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  /**
   * The answer as the server sent it, once it matched the schema: fields the schema does not name stay
   * (for `--json`), so the schemas used here must not transform or default anything.
   */
  async get<T>(path: string, query: Query, schema: z.ZodType<T>): Promise<T> {
    const url = this.url(path, query);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const response = await this.send(url, signal, 'application/json');
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`GET ${url.pathname}: the server's answer is not JSON`, ExitCode.Unavailable);
    }
    const checked = schema.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new CliError(
        `GET ${url.pathname}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message})`,
        ExitCode.Unavailable,
      );
    }
    return json as T;
  }

  /** Every item of a list route, following `nextCursor`, up to `limit`. */
  async list<T>(input: {
    path: string;
    query: Query;
    item: z.ZodType<T>;
    limit?: number;
    onPage?: (itemsSoFar: number) => void;
  }): Promise<ListResult<T>> {
    const items: T[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const wanted = input.limit === undefined ? MAX_PAGE_SIZE : input.limit - items.length;
      const page = await this.get(
        input.path,
        { ...input.query, limit: Math.min(MAX_PAGE_SIZE, wanted), cursor },
        pageOf(input.item),
      );
      items.push(...page.items.slice(0, wanted));
      input.onPage?.(items.length);
      if (page.nextCursor === null) return { items, more: false };
      if (input.limit !== undefined && items.length >= input.limit) return { items, more: true };
      // A server that hands out a cursor twice would keep the CLI paging forever.
      if (seenCursors.has(page.nextCursor)) {
        throw new CliError(`GET ${input.path}: the server repeated a page cursor`, ExitCode.Unavailable);
      }
      seenCursors.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }

  /** The body of a streamed answer, chunk by chunk; fails when the server stays silent too long. */
  async *download(path: string, query: Query, accept: string): AsyncGenerator<Uint8Array> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new IdleTimeout()), this.options.timeoutMs);
    try {
      const response = await this.send(this.url(path, query), controller.signal, accept);
      if (!response.body) return;
      const reader = response.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw this.unreachable(error);
        }
        if (chunk.done) return;
        timer.refresh();
        yield chunk.value;
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private url(path: string, query: Query): URL {
    const base = this.options.server.href.endsWith('/')
      ? this.options.server.href
      : `${this.options.server.href}/`;
    const url = new URL(path.replace(/^\/+/, ''), base);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url;
  }

  private async send(url: URL, signal: AbortSignal, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${this.options.token}`, accept, 'user-agent': 'optralis-cli' },
        // Followed redirects could carry the token to another host.
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location') ?? 'another address';
      throw new CliError(`the server redirects to ${location}: use that as --server`, ExitCode.Generic);
    }
    if (!response.ok) {
      let body = '';
      try {
        body = await response.text();
      } catch {
        body = '';
      }
      throw problemError({ status: response.status, statusText: response.statusText, body });
    }
    return response;
  }

  private unreachable(error: unknown): CliError {
    const origin = this.options.server.origin;
    const reason = error instanceof Error && error.name === 'AbortError' ? error.cause : error;
    if (reason instanceof IdleTimeout || (reason instanceof Error && reason.name === 'TimeoutError')) {
      const limit = formatDuration(this.options.timeoutMs / 1000);
      return new CliError(`no answer from ${origin} within ${limit}`, ExitCode.Unavailable);
    }
    const cause =
      reason instanceof Error ? (reason.cause as { code?: string; message?: string } | undefined) : undefined;
    const why = cause?.code ?? cause?.message ?? (reason instanceof Error ? reason.message : String(reason));
    return new CliError(`cannot reach ${origin}: ${why}`, ExitCode.Unavailable);
  }
}
