import { createConnection, createServer, Server, Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

/** Forwards a local port to a server; pausing it looks to clients like that server went away. */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private target: ProxyTarget | undefined;
  private listeningPort = 0;

  constructor() {
    this.server = createServer((client) => this.forward(client));
  }

  get port(): number {
    return this.listeningPort;
  }

  async start(target: ProxyTarget): Promise<number> {
    this.target = target;
    await this.listen(0);
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy is not listening on TCP');
    this.listeningPort = address.port;
    return this.listeningPort;
  }

  /** Refuses new connections and cuts every open one. */
  async pause(): Promise<void> {
    const closed = this.server.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  async resume(): Promise<void> {
    if (!this.server.listening) await this.listen(this.listeningPort);
  }

  async stop(): Promise<void> {
    await this.pause();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private forward(client: Socket): void {
    if (!this.target) {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.target);
    const pair = [client, upstream];
    for (const socket of pair) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
