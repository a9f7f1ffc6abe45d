import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpReceipt {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** Set when the sink knows the webhook secret: whether `X-Optralis-Signature` matches the body. */
  signatureValid: boolean | null;
}

/**
 * A loopback HTTP endpoint that keeps every JSON body posted to it. `holdNext(match)` keeps the response
 * to the next matching request open until `releaseHeld()`, so a test can act while a sender waits on it.
 */
export async function startHttpSink(options: { secret?: string; status?: number; reply?: string } = {}) {
  const received: HttpReceipt[] = [];
  const held: ServerResponse[] = [];
  let hold: { match: (receipt: HttpReceipt) => boolean; arrived: (receipt: HttpReceipt) => void } | null =
    null;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(request.headers['x-optralis-timestamp']);
      const receipt: HttpReceipt = {
        path: request.url ?? '/',
        headers: request.headers,
        body: JSON.parse(raw) as Record<string, unknown>,
        signatureValid: options.secret
          ? request.headers['x-optralis-signature'] ===
            `sha256=${createHmac('sha256', options.secret).update(`${timestamp}.${raw}`).digest('hex')}`
          : null,
      };
      received.push(receipt);
      if (hold?.match(receipt)) {
        const { arrived } = hold;
        hold = null;
        held.push(response);
        arrived(receipt);
        return;
      }
      response
        .writeHead(options.status ?? 200, { 'content-type': 'application/json' })
        .end(options.reply ?? '{"ok":true}');
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    holdNext(match: (receipt: HttpReceipt) => boolean): Promise<HttpReceipt> {
      return new Promise((arrived) => (hold = { match, arrived }));
    },
    releaseHeld(): void {
      for (const response of held.splice(0)) {
        if (!response.destroyed) response.writeHead(200).end('{"ok":true}');
      }
    },
    close(): Promise<void> {
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type HttpSink = Awaited<ReturnType<typeof startHttpSink>>;
