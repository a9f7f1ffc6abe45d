import {
  Catch,
  type DynamicModule,
  Global,
  type INestApplication,
  Module,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

import { JetStreamPublisher } from './jetstream.publisher';
import { JetStreamTransport } from './jetstream.transport';
import { NatsConnectionService } from './nats-connection.service';
import { NATS_OPTIONS, type NatsOptions } from './nats.options';
import { RpcClient } from './rpc.client';

/** Nest's default RPC filter flattens every error to "Internal server error"; RpcError must keep its code. */
@Catch()
export class RpcPassThroughFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

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

/**
 * Attaches the JetStream/RPC transport to a hybrid app; call `app.startAllMicroservices()` after.
 * Initialisation is deferred so the pass-through filter is registered before the handlers are bound.
 */
export function connectNatsTransport(app: INestApplication): void {
  const microservice = app.connectMicroservice(
    { strategy: app.get(JetStreamTransport) },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RpcPassThroughFilter());
}
