import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ts from 'typescript';

import { PASSWORD, type Platform, startPlatform, type TenantFixture } from './gateway-test-app';

/** What the generated SDK looks like from here; the type-check below proves the real signatures. */
interface GeneratedSdk {
  client: { setConfig(config: { baseUrl: string }): void };
  login(options: { body: { email: string; password: string } }): Promise<SdkAnswer<{ accessToken: string }>>;
  getMe(options: { auth: string }): Promise<SdkAnswer<{ credential: string; tenantId: string }>>;
  createApiToken(options: {
    auth: string;
    body: { name: string; role: string; expiresAt: null };
  }): Promise<SdkAnswer<{ token: string; role: string }>>;
}
interface SdkAnswer<T> {
  data?: T;
  error?: { status: number; code: string };
  response: Response;
}

/** The calls the test makes, written against the generated types: tsc must accept them as they are. */
const USAGE = `
import { client } from './client.gen';
import { createApiToken, getMe, login } from './index';

export async function use(baseUrl: string): Promise<string> {
  client.setConfig({ baseUrl });
  const session = await login({ body: { email: 'owner@example.com', password: 'secret' } });
  if (!session.data || !('accessToken' in session.data)) return 'no session';
  const me = await getMe({ auth: session.data.accessToken });
  const tenantId: string | undefined = me.data?.tenantId;
  const created = await createApiToken({
    auth: session.data.accessToken,
    body: { name: 'ci', role: 'admin', expiresAt: null },
  });
  const token: string | undefined = created.data?.token;
  return \`\${tenantId}:\${token}\`;
}
`;

describe('OpenAPI document and a client generated from it', () => {
  let platform: Platform;
  let tenant: TenantFixture;
  let directory: string;

  beforeAll(async () => {
    platform = await startPlatform();
    tenant = await platform.tenant();
    directory = mkdtempSync(join(tmpdir(), 'optralis-client-'));
  }, 120_000);

  afterAll(async () => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    await platform?.close();
  });

  async function servedDocument(): Promise<Record<string, unknown>> {
    const answer = await platform.gateway.call('GET', '/api/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    return answer.body;
  }

  it('should serve an OpenAPI 3.1 document that a standard validator accepts', async () => {
    const document = await servedDocument();
    const { validate, compileErrors } = await import('@readme/openapi-parser');

    const result = await validate(structuredClone(document) as never);

    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('should generate a TypeScript client that compiles and calls login, me and API token creation', async () => {
    const { createClient } = await import('@hey-api/openapi-ts');
    await createClient({
      input: await servedDocument(),
      output: directory,
      plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
      logs: { level: 'silent' },
    } as never);
    writeFileSync(join(directory, 'usage.ts'), USAGE);
    const program = ts.createProgram([join(directory, 'usage.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);

    const sdk = (await import(join(directory, 'index.ts'))) as GeneratedSdk;
    const { client } = (await import(join(directory, 'client.gen.ts'))) as Pick<GeneratedSdk, 'client'>;
    client.setConfig({ baseUrl: platform.gateway.url });
    const session = await sdk.login({ body: { email: tenant.owner.email, password: PASSWORD } });
    expect(session.response.status).toBe(200);
    const accessToken = session.data!.accessToken;
    const me = await sdk.getMe({ auth: accessToken });
    expect(me.data).toMatchObject({ credential: 'session', tenantId: tenant.id });
    const created = await sdk.createApiToken({
      auth: accessToken,
      body: { name: 'generated-client', role: 'editor', expiresAt: null },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ role: 'editor', token: expect.stringMatching(/^opt_api_/) });
    const refused = await sdk.getMe({ auth: 'garbage' });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ status: 401, code: 'token_invalid' });
  });
});
