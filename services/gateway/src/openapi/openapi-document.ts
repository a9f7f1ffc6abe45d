import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { describeOperation, SECURITY_SCHEMES } from './operation-description';
import type { AnyRouteDefinition } from './route-definition';
import { RouteCatalogue } from './route-catalogue';
import { rewriteRefs, SchemaComponents } from './schema-components';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const DESCRIPTION = [
  'The public REST API of Optralis. Authenticate with `Authorization: Bearer <access JWT | API token>`.',
  'Errors are RFC 9457 `application/problem+json` with a stable `code`.',
  'Lists take `?limit=&cursor=` and answer `{ items, nextCursor }`.',
].join(' ');

export interface OpenApiOptions {
  version: string;
  publicUrl: string;
}

/**
 * OpenAPI 3.1 of every `@Route`: Nest's scan gives paths, methods and tags; each route definition gives
 * parameters, bodies, answers and security, with zod's JSON Schema (draft 2020-12) as components.
 * Routes without a definition (health, readiness, metrics) stay out of the document.
 */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const base = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Optralis API')
    .setDescription(DESCRIPTION)
    .setVersion(options.version)
    .addServer(options.publicUrl)
    .build();
  const scanned = SwaggerModule.createDocument(app, base);
  const definitions = byOperationId(app.get(RouteCatalogue).definitions());
  const components = new SchemaComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(scanned.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const definition = operation?.operationId ? definitions.get(operation.operationId) : undefined;
      if (!operation || !definition) continue;
      operation.tags?.forEach((tag) => tags.add(tag));
      paths[path] = { ...paths[path], [method]: describeOperation(definition, operation, components) };
    }
  }
  const { schemas, finalRef } = components.render();
  const document = {
    openapi: '3.1.0',
    info: scanned.info,
    servers: scanned.servers,
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
  return rewriteRefs(document, finalRef) as OpenAPIObject;
}

function byOperationId(definitions: AnyRouteDefinition[]): Map<string, AnyRouteDefinition> {
  const map = new Map<string, AnyRouteDefinition>();
  for (const definition of definitions) {
    if (map.has(definition.operationId))
      throw new Error(`operationId ${definition.operationId} is used twice`);
    map.set(definition.operationId, definition);
  }
  return map;
}
