import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';

import { buildOpenApiDocument, type OpenApiOptions } from './openapi-document';

export const DOCS_PATH = '/api/docs';
export const OPENAPI_JSON_PATH = '/api/openapi.json';

/** Swagger UI at /api/docs and the document at /api/openapi.json; built at start, so a broken one fails fast. */
export function setUpOpenApi(app: NestFastifyApplication, options: OpenApiOptions): void {
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup(DOCS_PATH.slice(1), withOwnStaticPlugin(app), document, {
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    customSiteTitle: 'Optralis API',
    swaggerOptions: { displayOperationId: true, validatorUrl: null },
  });
}

/**
 * SwaggerModule serves the UI's files through `app.useStaticAssets`, which makes @nestjs/platform-fastify
 * require @fastify/static from its own folder; npm installs the gateway's copy under services/gateway, so
 * the gateway registers the plugin itself.
 */
function withOwnStaticPlugin(app: NestFastifyApplication): INestApplication {
  return new Proxy(app, {
    get(target, property) {
      if (property === 'useStaticAssets') {
        return (staticOptions: FastifyStaticOptions) => {
          void target.register(fastifyStatic, staticOptions);
          return target;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
