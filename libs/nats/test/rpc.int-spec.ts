import { Controller, type INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { PingReply } from '@optralis/contracts';
import { createNatsNamespace, type NatsTestNamespace, TEST_NATS_URL } from '@optralis/testing';

import { RpcMethod } from '../src/decorators';
import { JetStreamTransport } from '../src/jetstream.transport';
import { NatsModule } from '../src/nats.module';
import { RpcClient } from '../src/rpc.client';
import { RpcError } from '../src/rpc.errors';

@Controller()
class PingScenarios {
  @RpcMethod('rpc.ingest.ping')
  async ingest(): Promise<PingReply> {
    return { service: 'ingest', version: '1.2.3', instanceId: 'i-1', uptimeSeconds: 5 };
  }

  @RpcMethod('rpc.auth.ping')
  async auth(): Promise<PingReply> {
    throw new RpcError('tenant.not_found', 'tenant acme does not exist', { tenant: 'acme' });
  }

  @RpcMethod('rpc.ai.ping')
  async ai(): Promise<PingReply> {
    throw new Error('database password is hunter2');
  }

  @RpcMethod('rpc.reports.ping')
  async reports(): Promise<unknown> {
    return { service: 'nobody', version: 7 };
  }

  @RpcMethod('rpc.alerting.ping')
  async alerting(): Promise<PingReply> {
    return new Promise<never>(() => undefined);
  }

  @RpcMethod('rpc.ingest.metrics.names')
  async names(): Promise<{ names: string[] }> {
    return { names: Array.from({ length: 20_000 }, (_, index) => `metric.${index}.${'x'.repeat(100)}`) };
  }
}

describe(RpcClient.name, () => {
  let nats: NatsTestNamespace;
  let server: INestMicroservice;
  let client: RpcClient;

  beforeAll(async () => {
    nats = await createNatsNamespace();
    const moduleRef = await Test.createTestingModule({
      imports: [
        NatsModule.forRoot({
          servers: TEST_NATS_URL,
          service: 'ingest',
          namespace: nats.namespace,
          rpcTimeoutMs: 500,
        }),
      ],
      controllers: [PingScenarios],
    }).compile();
    server = moduleRef.createNestMicroservice({ strategy: moduleRef.get(JetStreamTransport), logger: false });
    await server.listen();
    client = moduleRef.get(RpcClient);
  });

  afterAll(async () => {
    await server.close();
    await nats.cleanup();
  });

  async function failure(promise: Promise<unknown>): Promise<RpcError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RpcError);
    return error as RpcError;
  }

  it('should return the validated reply when the service answers', async () => {
    await expect(client.call('rpc.ingest.ping', {})).resolves.toEqual({
      service: 'ingest',
      version: '1.2.3',
      instanceId: 'i-1',
      uptimeSeconds: 5,
    });
  });

  it('should carry the code, message and details back when the handler throws an RpcError', async () => {
    const error = await failure(client.call('rpc.auth.ping', {}));
    expect(error.code).toBe('tenant.not_found');
    expect(error.message).toBe('tenant acme does not exist');
    expect(error.details).toEqual({ tenant: 'acme' });
  });

  it('should answer internal with an errorId and without the message when the handler fails unexpectedly', async () => {
    const error = await failure(client.call('rpc.ai.ping', {}));
    expect(error.code).toBe('internal');
    expect(error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).not.toContain('hunter2');
  });

  it('should refuse a reply outside the contract when the handler returns the wrong shape', async () => {
    const error = await failure(client.call('rpc.reports.ping', {}));
    expect(error.code).toBe('internal');
  });

  it('should answer reply_too_large instead of crashing when the answer is over the NATS payload limit', async () => {
    const error = await failure(client.call('rpc.ingest.metrics.names', { tenantId: 't1', hostId: 'h1' }));
    expect(error.code).toBe('reply_too_large');
    expect(error.message).toMatch(/larger than NATS carries/);
    expect((await client.call('rpc.ingest.ping', {})).service).toBe('ingest');
  });

  it('should fail with timeout when the handler never answers', async () => {
    const error = await failure(client.call('rpc.alerting.ping', {}, { timeoutMs: 200 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('200 ms');
  });

  it('should fail with unavailable when no instance serves the subject', async () => {
    const error = await failure(client.call('rpc.gateway.ping', {}));
    expect(error.code).toBe('unavailable');
  });

  it('should reject the request before sending when it breaks the request schema', async () => {
    const error = await failure(client.call('rpc.ingest.ping', { surprise: true } as never));
    expect(error.code).toBe('invalid_request');
  });

  it('should answer invalid_request when raw bytes that are not JSON arrive', async () => {
    const reply = await nats.connection.request(
      `${nats.namespace}.rpc.ingest.ping`,
      new TextEncoder().encode('{oops'),
      {
        timeout: 1000,
      },
    );
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('should answer invalid_request when a hostile oversized field arrives', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(500_000) });
    const reply = await nats.connection.request(
      `${nats.namespace}.rpc.ingest.ping`,
      new TextEncoder().encode(body),
      {
        timeout: 1000,
      },
    );
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
