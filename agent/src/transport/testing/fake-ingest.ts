import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import type { AgentReport } from '@optralis/contracts';

export interface IngestAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What the fake answers a report; 'hang' never answers. */
export type IngestBehaviour = (report: AgentReport) => IngestAnswer | 'hang';

export interface ReceivedReport {
  report: AgentReport;
  headers: IncomingHttpHeaders;
  /** Bytes on the wire, before gunzip. */
  wireBytes: number;
  status: number | 'hang';
}

export const accept: IngestBehaviour = () => ({ status: 202 });

/**
 * `POST /v1/agent/reports` on a real local port, deduplicating on (host.id, seq) like ingest does.
 * It can answer anything, hang, add latency, or stop listening (connection refused) and come back.
 */
export class FakeIngest {
  readonly received: ReceivedReport[] = [];
  /** seq → times it was received and answered 202 (ingest stores the first, counts the rest as duplicates). */
  readonly deliveries = new Map<number, number>();
  /** seqs in the order ingest first accepted them. */
  readonly stored: number[] = [];
  behaviour: IngestBehaviour;
  latencyMs: number;
  private server: Server;
  private port = 0;

  private constructor(options: { behaviour?: IngestBehaviour; latencyMs?: number }) {
    this.behaviour = options.behaviour ?? accept;
    this.latencyMs = options.latencyMs ?? 0;
    this.server = this.createServer();
  }

  static async start(options: { behaviour?: IngestBehaviour; latencyMs?: number } = {}): Promise<FakeIngest> {
    const ingest = new FakeIngest(options);
    await ingest.listen();
    return ingest;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  duplicates(): number {
    return [...this.deliveries.values()].reduce((sum, count) => sum + count - 1, 0);
  }

  /** Stops listening and cuts open connections: senders now get connection refused. */
  async goDown(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async comeBack(): Promise<void> {
    this.server = this.createServer();
    await this.listen();
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.goDown();
  }

  private createServer(): Server {
    return createServer((request, response) => void this.handle(request, response));
  }

  private async listen(): Promise<void> {
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const wire = Buffer.concat(chunks);
    const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
    const report = JSON.parse(body.toString('utf8')) as AgentReport;
    const answer = this.behaviour(report);
    this.received.push({
      report,
      headers: request.headers,
      wireBytes: wire.length,
      status: answer === 'hang' ? 'hang' : answer.status,
    });
    if (answer === 'hang') return;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    let text = answer.body ?? '';
    if (answer.status === 202) {
      const count = (this.deliveries.get(report.seq) ?? 0) + 1;
      this.deliveries.set(report.seq, count);
      if (count === 1) this.stored.push(report.seq);
      text = JSON.stringify({ accepted: count === 1 ? 1 : 0, duplicates: count === 1 ? 0 : 1 });
    }
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(text);
  }
}
