import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

import {
  guardedLookup,
  isForbiddenAddress,
  parseHttpUrl,
  UnsafeUrlError,
  urlHost,
} from './outbound-url.guard';

/** Enough of an answer to show why it failed; the rest is never read. */
const MAX_RESPONSE_BYTES = 4096;

export interface OutboundRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** At most the first 4 KiB of the body. */
  body: string;
}

export type OutboundFailure = 'unsafe' | 'timeout' | 'network';

export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readLimited(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_RESPONSE_BYTES) {
        finish();
        response.destroy();
      }
    });
    response.on('end', finish);
    response.on('error', reject);
  });
}

/**
 * POSTs to a URL that people configured: http(s) only, public addresses only (checked on the address
 * connected to), no redirects followed, a deadline over the whole exchange, at most 4 KiB of answer read.
 */
export async function postOutbound(request: OutboundRequest): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = parseHttpUrl(request.url);
  } catch (error) {
    throw new OutboundError('unsafe', (error as Error).message);
  }
  const host = urlHost(url);
  if (!request.allowPrivate && isIP(host) && isForbiddenAddress(host)) {
    throw new OutboundError('unsafe', `${host} is a loopback, private or link-local address`);
  }
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  try {
    return await new Promise<OutboundResponse>((resolve, reject) => {
      const outgoing = send(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
          lookup: guardedLookup(request.allowPrivate),
          agent: false,
          signal,
        },
        (response) => {
          readLimited(response).then(
            (body) =>
              resolve({
                status: response.statusCode ?? 0,
                statusText: response.statusMessage ?? '',
                headers: flatHeaders(response),
                body,
              }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new OutboundError('unsafe', error.message);
    if (deadline.aborted) {
      throw new OutboundError('timeout', `no answer from ${url.host} within ${request.timeoutMs} ms`);
    }
    if (signal.aborted) throw new OutboundError('timeout', `the request to ${url.host} was cancelled`);
    throw new OutboundError('network', `${url.host}: ${(error as Error).message}`);
  }
}
