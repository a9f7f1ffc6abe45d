import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Text sent in separate writes, instead of `body`. */
  chunks?: string[];
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface FakeGateway {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** A node:http stand-in for the gateway: `route` answers each request from its method and path. */
export async function startFakeGateway(route: (request: FakeRequest) => FakeAnswer): Promise<FakeGateway> {
  const requests: FakeRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://fake');
    const request = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
    };
    requests.push(request);
    const answer = route(request);
    if (answer.hang) {
      hanging.push(response);
      return;
    }
    const json = answer.chunks === undefined && typeof answer.body !== 'string';
    const chunks = answer.chunks ?? [json ? JSON.stringify(answer.body ?? {}) : String(answer.body)];
    response.writeHead(answer.status ?? 200, {
      'content-type': json ? 'application/json' : 'text/plain',
      ...answer.headers,
    });
    for (const chunk of chunks) response.write(chunk);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function problem(status: number, title: string, detail: string): FakeAnswer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'about:blank', title, status, detail, instance: '/', code: 'test' },
  };
}
