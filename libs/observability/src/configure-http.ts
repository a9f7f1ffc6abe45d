import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

/**
 * Routes Nest's own logging (bootstrap, exceptions, `new Logger(Context)`) through pino. Create the
 * app with `bufferLogs: true` so that lines written before this call are replayed through pino.
 */
export function configureHttp(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
}
