import { Controller, Inject, type INestMicroservice } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { AuditEvent } from '@optralis/contracts';

import { JetStreamHandler } from '../src/decorators';
import type { ConsumerOptions } from '../src/jetstream.consumer-runner';
import type { JetStreamContext } from '../src/jetstream.context';
import { JetStreamTransport } from '../src/jetstream.transport';
import { NatsConnectionService } from '../src/nats-connection.service';
import { NatsModule } from '../src/nats.module';
import { Outcomes, type Outcome } from '../src/outcome';
import { factory, TEST_NATS_URL } from '@optralis/testing';

export interface Delivery {
  eventId: string;
  action: string;
  deliveryCount: number;
  traceId?: string;
}

export type Behaviour = (event: AuditEvent, context: JetStreamContext) => Promise<Outcome | void>;

export const BEHAVIOUR = Symbol('BEHAVIOUR');
export const DELIVERIES = Symbol('DELIVERIES');

export function auditEvent(tenantId: string, action: string): AuditEvent {
  return factory.auditEvent({ tenantId, action });
}

/** Default test behaviour: the event's action says what the handler does. */
export const scriptedBehaviour: Behaviour = async (event) => {
  if (event.action === 'fail') throw new Error('handler refused on purpose');
  if (event.action === 'reject') return Outcomes.reject('rejected on purpose');
  if (event.action === 'hang') return new Promise<never>(() => undefined);
  return Outcomes.done();
};

export async function startConsumerApp(input: {
  namespace: string;
  consumer: ConsumerOptions;
  behaviour?: Behaviour;
}): Promise<{ app: INestMicroservice; deliveries: Delivery[]; nats: NatsConnectionService }> {
  const deliveries: Delivery[] = [];

  @Controller()
  class AuditTestConsumer {
    constructor(
      @Inject(BEHAVIOUR) private readonly behaviour: Behaviour,
      @Inject(DELIVERIES) private readonly seen: Delivery[],
    ) {}

    @JetStreamHandler('audit.recorded', input.consumer)
    async handle(@Payload() event: AuditEvent, @Ctx() context: JetStreamContext): Promise<Outcome | void> {
      this.seen.push({
        eventId: event.id,
        action: event.action,
        deliveryCount: context.info.deliveryCount,
        traceId: context.info.headers['x-trace-id'],
      });
      return this.behaviour(event, context);
    }
  }

  const moduleRef = await Test.createTestingModule({
    imports: [NatsModule.forRoot({ servers: TEST_NATS_URL, service: 'auth', namespace: input.namespace })],
    controllers: [AuditTestConsumer],
    providers: [
      { provide: BEHAVIOUR, useValue: input.behaviour ?? scriptedBehaviour },
      { provide: DELIVERIES, useValue: deliveries },
    ],
  }).compile();
  const app = moduleRef.createNestMicroservice({
    strategy: moduleRef.get(JetStreamTransport),
    logger: false,
  });
  await app.listen();
  return { app, deliveries, nats: moduleRef.get(NatsConnectionService) };
}
