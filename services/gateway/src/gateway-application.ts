import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectNatsTransport } from '@optralis/nats';
import { configureHttp } from '@optralis/observability';

import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { corsOptions } from './http/cors';
import { registerSecurityHeaders } from './http/security-headers';
import { setUpOpenApi } from './openapi/openapi.setup';

export function gatewayAdapter(config: GatewayConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.GATEWAY_TRUST_PROXY,
  });
}

/** What main.ts and the tests share once the app exists: headers, CORS, OpenAPI, the NATS transport. */
export function configureGatewayApplication(
  app: NestFastifyApplication,
  config: GatewayConfig,
  version: string,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  // JSON (and forms, for SAML) only: a text body is refused with 415 instead of reaching a schema as a string.
  fastify.removeContentTypeParser(['text/plain']);
  registerSecurityHeaders(fastify, config);
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  setUpOpenApi(app, { version, publicUrl: config.GATEWAY_PUBLIC_URL });
  connectNatsTransport(app);
  app.enableShutdownHooks();
}

/** HTTP first (so /health and /ready answer while NATS or Postgres are still away), then the NATS transport. */
export async function startGateway(config: GatewayConfig, version: string): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, version),
    gatewayAdapter(config),
    { bufferLogs: true },
  );
  configureHttp(app);
  configureGatewayApplication(app, config, version);
  await app.listen(config.GATEWAY_PORT, config.HOST);
  const logger = new Logger('Bootstrap');
  logger.log({ url: await app.getUrl() }, 'listening');
  app.startAllMicroservices().then(
    () => logger.log('NATS transport started'),
    (error: unknown) => {
      logger.error({ error: (error as Error).message }, 'NATS transport failed to start');
      void app.close().finally(() => process.exit(1));
    },
  );
  return app;
}
