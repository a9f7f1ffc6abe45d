import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';

import { AppModule } from '../app.module';
import { GatewayEnv } from '../config';
import { gatewayAdapter } from '../gateway-application';
import { buildOpenApiDocument } from './openapi-document';
import { RouteCatalogue } from './route-catalogue';

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; schema?: unknown }> }>;
  parameters: { name: string; in: string }[];
};

describe(buildOpenApiDocument.name, () => {
  let app: NestFastifyApplication;
  let document: ReturnType<typeof buildOpenApiDocument>;

  beforeAll(async () => {
    const config = loadConfig(GatewayEnv, { LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, '9.9.9')],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(gatewayAdapter(config), { logger: false });
    document = buildOpenApiDocument(app, { version: '9.9.9', publicUrl: 'https://api.example.com' });
  });

  afterAll(async () => {
    await app?.close();
  });

  function operations(): Operation[] {
    return Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, Operation>));
  }

  it('should be a valid OpenAPI 3.1 document when checked by a standard validator', async () => {
    const { validate, compileErrors } = await import('@readme/openapi-parser');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('should document every route definition once with its contract paths when the app is scanned', () => {
    const ids = operations().map((operation) => operation.operationId);
    const defined = app.get(RouteCatalogue).definitions();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(defined.map((definition) => definition.operationId).sort());
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/oidc/{providerId}/callback',
      '/api/v1/auth/saml/{providerId}/acs',
      '/.well-known/jwks.json',
      '/api/v1/me',
      '/api/v1/api-tokens',
      '/api/v1/hosts/{id}/metrics',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });

  it('should leave probes out and ask for a bearer token on every route that is not public', () => {
    expect(Object.keys(document.paths)).not.toContain('/health');
    const me = document.paths['/api/v1/me'].get as unknown as Operation;
    expect(me.security).toEqual([{ accessToken: [] }, { apiToken: [] }]);
    const login = document.paths['/api/v1/auth/login'].post as unknown as Operation;
    expect(login.security).toBeUndefined();
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['200', '400', '429', '500']));
  });

  it('should resolve every $ref to a component when the document is serialised', () => {
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]);
    const schemas = Object.keys(document.components?.schemas ?? {});
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => !schemas.includes(ref))).toEqual([]);
    expect(text).not.toContain('~input');
  });

  it('should give every example a shape its schema accepts when routes declare examples', () => {
    for (const definition of app.get(RouteCatalogue).definitions()) {
      const { examples } = definition;
      if (examples?.body !== undefined) {
        expect(definition.body!.safeParse(examples.body).success, definition.operationId).toBe(true);
      }
      if (examples?.response !== undefined) {
        expect(definition.response!.safeParse(examples.response).success, definition.operationId).toBe(true);
      }
    }
  });
});
