import { type BeforeApplicationShutdown, Controller, Headers, Inject, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import { type QueryOf, Route } from '../openapi/route-definition';
import { RouteQuery } from '../openapi/route-input.decorators';
import type { GatewayActor } from '../security/actor';
import { CurrentActor } from '../security/security.decorators';
import { LiveEventsService, type LiveSubscription } from './live-events.service';
import { formatPosition, parsePosition, sseComment } from './live-position';
import { liveEventsRoute } from './live-events.routes';

@ApiTags('Live')
@Controller('api/v1')
export class LiveEventsController implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveEventsController.name);
  private readonly streams = new Set<LiveSubscription>();

  constructor(
    private readonly live: LiveEventsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Ends every stream so the server can close; clients reconnect elsewhere with Last-Event-ID. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.streams].map((stream) => stream.close()));
  }

  @Route(liveEventsRoute)
  async stream(
    @RouteQuery() query: QueryOf<typeof liveEventsRoute>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentActor() actor: GatewayActor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (this.streams.size >= this.config.GATEWAY_EVENTS_MAX_STREAMS) {
      throw new ProblemError({
        status: 503,
        code: 'too_many_streams',
        title: 'Too many live-event streams',
        detail: 'This gateway serves as many live-event streams as it may; retry shortly.',
        headers: { 'Retry-After': '5' },
      });
    }
    let subscription: LiveSubscription;
    try {
      subscription = await this.live.subscribe(
        actor.tenantId,
        parsePosition(lastEventId ?? query.lastEventId),
      );
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'live events unavailable');
      throw new ProblemError({
        status: 503,
        code: 'events_unavailable',
        title: 'Live events are unavailable',
        detail: 'The event streams cannot be read right now; retry shortly.',
        headers: { 'Retry-After': '5' },
      });
    }
    this.streams.add(subscription);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    raw.write(`retry: 3000\n${sseComment(`from ${formatPosition(subscription.start)}`)}`);
    const heartbeat = setInterval(
      () => raw.write(sseComment('heartbeat')),
      this.config.GATEWAY_EVENTS_HEARTBEAT_SECONDS * 1000,
    );
    const finish = () => {
      clearInterval(heartbeat);
      void subscription.close();
    };
    raw.once('close', finish);
    try {
      for (let frame = await subscription.next(); frame !== undefined; frame = await subscription.next()) {
        if (!raw.write(frame)) await new Promise((resolve) => raw.once('drain', resolve));
      }
    } finally {
      finish();
      this.streams.delete(subscription);
      if (!raw.writableEnded) raw.end();
    }
  }
}
