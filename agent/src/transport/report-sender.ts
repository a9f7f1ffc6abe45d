import type { DeliveryOutcome, ReportSender } from './delivery-outcome';
import type { EncodedBody } from './encoded-body';
import { classifyResponse } from './response-classifier';

/** Problem details are short; a proxy's error page is not worth more than this. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpReportSenderOptions {
  /** Ingest's base URL, e.g. `https://ingest.example.com`; a path prefix is kept. */
  serverUrl: string;
  token: string;
  /** Whole exchange, answer included. Default 10 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Wall clock for Retry-After dates. */
  now?: () => number;
  fetch?: typeof fetch;
}

/** Posts one report to `POST <server>/v1/agent/reports` and says what became of it. */
export class HttpReportSender implements ReportSender {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;

  constructor(options: HttpReportSenderOptions) {
    this.url = `${new URL(options.serverUrl).href.replace(/\/+$/, '')}/v1/agent/reports`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.headers = {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/json',
      'user-agent': options.userAgent ?? 'optralis-agent',
    };
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(body: EncodedBody, signal?: AbortSignal): Promise<DeliveryOutcome> {
    // A controller per request rather than AbortSignal.any: composites of a long-lived signal leak on Node 20.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const cancel = () => controller.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (signal?.aborted) return { kind: 'retry', reason: 'aborted' };
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers: body.encoding === 'gzip' ? { ...this.headers, 'content-encoding': 'gzip' } : this.headers,
        body: body.bytes,
        signal: controller.signal,
      });
      const answer = await readAnswer(response);
      return classifyResponse(
        { status: response.status, retryAfter: response.headers.get('retry-after'), body: answer },
        this.now(),
      );
    } catch (error) {
      if (timedOut) return { kind: 'retry', reason: `no answer within ${this.timeoutMs} ms` };
      if (controller.signal.aborted) return { kind: 'retry', reason: 'aborted' };
      return { kind: 'retry', reason: failure(error) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }
}

function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return `${cause.code}: ${String(cause.message ?? '')}`.trim();
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

async function readAnswer(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, MAX_ANSWER_BYTES));
}
