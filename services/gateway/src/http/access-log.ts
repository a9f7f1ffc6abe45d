import type { FastifyReply, FastifyRequest } from 'fastify';

import type { GatewayActor } from '../security/actor';

interface BindableLogger {
  setBindings?(bindings: Record<string, unknown>): void;
}

/**
 * Adds who called and which route matched to the access line of libs/observability's pino-http logger
 * (`request completed`: request id, status, latency). pino-http writes that line with the last logger
 * it pushed on `res.allLogs` (`res.log` is Fastify's own logger, put there by middie), so the fields are
 * bound to that one.
 */
export function bindAccessLog(request: FastifyRequest, reply: FastifyReply, actor?: GatewayActor): void {
  const logger = (reply.raw as unknown as { allLogs?: BindableLogger[] }).allLogs?.at(-1);
  logger?.setBindings?.({
    route: request.routeOptions?.url,
    ...(actor
      ? {
          tenant_id: actor.tenantId,
          user_id: actor.userId,
          credential: actor.credential,
          role: actor.role,
        }
      : {}),
  });
}
