import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { GatewayConfig } from '../config';

type CorsOptions = Parameters<NestFastifyApplication['enableCors']>[0];

/** GATEWAY_CORS_ORIGINS: listed origins may send credentials; `*` lets any origin in without them. */
export function corsOptions(config: GatewayConfig): CorsOptions | undefined {
  const origins = config.GATEWAY_CORS_ORIGINS;
  if (origins.length === 0) return undefined;
  const anyOrigin = origins.includes('*');
  return {
    origin: anyOrigin ? '*' : origins,
    credentials: !anyOrigin,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Traceparent'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Location', 'WWW-Authenticate'],
    maxAge: 600,
  };
}
