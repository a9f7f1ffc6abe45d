import { type DynamicModule, Global, type INestApplication, Module } from '@nestjs/common';

import { JetStreamPublisher } from './jetstream.publisher';
import { JetStreamTransport } from './jetstream.transport';
import { NatsConnectionService } from './nats-connection.service';
import { NATS_OPTIONS, type NatsOptions } from './nats.options';
import { RpcClient } from './rpc.client';

@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NATS_OPTIONS, useValue: options },
        NatsConnectionService,
        JetStreamPublisher,
        RpcClient,
        JetStreamTransport,
      ],
      exports: [NATS_OPTIONS, NatsConnectionService, JetStreamPublisher, RpcClient, JetStreamTransport],
    };
  }
}

/** Attaches the JetStream/RPC transport to a hybrid app; call `app.startAllMicroservices()` after. */
export function connectNatsTransport(app: INestApplication): void {
  app.connectMicroservice({ strategy: app.get(JetStreamTransport) }, { inheritAppConfig: false });
}
