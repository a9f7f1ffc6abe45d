import { randomBytes, randomUUID } from 'node:crypto';

import type { DynamicModule, Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import type { NatsConnection, Subscription } from 'nats';

import { IngestEnv, type IngestConfig } from '../src/config';
import { IngestConfigModule } from '../src/ingest.config.provider';
import { ingestMigrations } from '../src/migrations';

export interface IngestTestApp {
  app: NestFastifyApplication;
  url: string;
  config: IngestConfig;
  rpc: RpcClient;
  close(): Promise<void>;
}

/** One in-process ingest instance (HTTP on a free port + NATS transport) with the modules a test needs. */
export async function startIngestTestApp(input: {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
  modules: (Type<unknown> | DynamicModule)[] | ((config: IngestConfig) => (Type<unknown> | DynamicModule)[]);
}): Promise<IngestTestApp> {
  const config = loadConfig(IngestEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    ...input.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'ingest',
        version: '0.0.0-test',
        config,
        migrations: ingestMigrations,
      }),
      IngestConfigModule.forRoot(config),
      ...(typeof input.modules === 'function' ? input.modules(config) : input.modules),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  connectNatsTransport(app);
  await app.listen(0, '127.0.0.1');
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  return {
    app,
    url: await app.getUrl().then((url) => url.replace('[::1]', '127.0.0.1')),
    config,
    rpc: app.get(RpcClient),
    close: () => app.close(),
  };
}

/** An ingest token in auth's format, answered by a stand-in speaking the `rpc.auth.tokens.verify` contract. */
export function ingestToken(): string {
  return `opt_ing_${randomBytes(4).toString('hex')}_${randomBytes(24).toString('hex')}`;
}

/**
 * Answers `rpc.auth.tokens.verify` for the tokens it was given, exactly as auth does (an `unauthorized`
 * error otherwise). The end-to-end test in tests/platform runs the real auth service instead.
 */
export class TokenAuthority {
  private readonly tokens = new Map<string, { tenantId: string; kind: 'ingest' | 'api' }>();
  private subscription?: Subscription;
  calls = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: string,
  ) {}

  start(): this {
    this.subscription = this.connection.subscribe(`${this.namespace}.rpc.auth.tokens.verify`, {
      callback: (_error, message) => {
        this.calls++;
        const { token } = JSON.parse(new TextDecoder().decode(message.data)) as { token: string };
        const known = this.tokens.get(token);
        const reply = known
          ? {
              ok: true,
              data: {
                kind: known.kind,
                tenantId: known.tenantId,
                tokenId: randomUUID(),
                name: 'test',
                ...(known.kind === 'api' ? { role: 'admin' } : {}),
              },
            }
          : { ok: false, error: { code: 'unauthorized', message: 'the token is not valid' } };
        message.respond(new TextEncoder().encode(JSON.stringify(reply)));
      },
    });
    return this;
  }

  issue(tenantId: string, kind: 'ingest' | 'api' = 'ingest'): string {
    const token = kind === 'ingest' ? ingestToken() : ingestToken().replace('opt_ing_', 'opt_api_');
    this.tokens.set(token, { tenantId, kind });
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
    const prefix = token.slice(0, token.lastIndexOf('_'));
    this.connection.publish(
      `${this.namespace}.auth.tokens.revoked`,
      new TextEncoder().encode(JSON.stringify({ prefix })),
    );
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
