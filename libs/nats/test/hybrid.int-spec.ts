import { Controller, Get, NotFoundException } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { PingReply } from '@optralis/contracts';
import { createNatsNamespace, type NatsTestNamespace, TEST_NATS_URL } from '@optralis/testing';

import { RpcMethod } from '../src/decorators';
import { connectNatsTransport, NatsModule } from '../src/nats.module';
import { RpcClient } from '../src/rpc.client';
import { RpcError } from '../src/rpc.errors';

@Controller()
class HybridController {
  @RpcMethod('rpc.auth.ping')
  async ping(): Promise<PingReply> {
    throw new RpcError('forbidden', 'observers may not ping');
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }
}

describe(connectNatsTransport.name, () => {
  let nats: NatsTestNamespace;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    nats = await createNatsNamespace();
    const moduleRef = await Test.createTestingModule({
      imports: [NatsModule.forRoot({ servers: TEST_NATS_URL, service: 'auth', namespace: nats.namespace })],
      controllers: [HybridController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    connectNatsTransport(app);
    await app.init();
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app.close();
    await nats.cleanup();
  });

  it('should carry an RpcError code across NATS when the handler runs in a hybrid HTTP app', async () => {
    const error = await app
      .get(RpcClient)
      .call('rpc.auth.ping', {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'forbidden', message: 'observers may not ping' });
  });

  it('should keep Nest HTTP error responses when an HTTP handler throws', async () => {
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ message: 'no such thing' });
  });
});
