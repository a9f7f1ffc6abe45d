import { type DynamicModule, Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectNatsTransport } from '@optralis/nats';
import { configureHttp } from '@optralis/observability';

export interface RunServiceOptions {
  module: Type<unknown> | DynamicModule;
  port: number;
  host: string;
  bodyLimitBytes?: number;
}

/** HTTP first (so /health and /ready answer while NATS or Postgres are still away), then the NATS transport. */
export async function runService(options: RunServiceOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }),
    { bufferLogs: true },
  );
  configureHttp(app);
  connectNatsTransport(app);
  app.enableShutdownHooks();
  await app.listen(options.port, options.host);
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
