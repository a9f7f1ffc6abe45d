import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import { DatabaseService } from '@optralis/db';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

import { AppModule } from '../src/app.module';
import { GatewayEnv } from '../src/config';
import { configureGatewayApplication, gatewayAdapter } from '../src/gateway-application';
import { type Clock, GATEWAY_CLOCK } from '../src/gateway.config.provider';

export const ROOT = { email: 'root@example.com', password: 'Quiet-Harbour-Lantern-42' };
export const PASSWORD = 'Violet-Copper-Meadow-77';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (a string or a Buffer), with the content type given in `headers`. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** A clock the test moves forward to see access tokens expire. */
export class MovableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export interface Gateway {
  app: NestFastifyApplication;
  url: string;
  clock: MovableClock;
  call<T = Record<string, unknown>>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  close(): Promise<void>;
}

/** One tenant with its owner signed in, made through the public API as the platform's root owner. */
export interface TenantFixture {
  id: string;
  slug: string;
  owner: { email: string; accessToken: string; refreshToken: string };
  /** A new user of this tenant with the role, signed in. */
  user(role: 'admin' | 'editor' | 'observer'): Promise<{ email: string; accessToken: string }>;
}

export interface Platform {
  nats: NatsTestNamespace;
  auth: ServiceProcess;
  ingest?: ServiceProcess;
  alerting?: ServiceProcess;
  gateway: Gateway;
  /** Another in-process gateway on the same NATS namespace, e.g. with other limits. */
  startGateway(env?: Record<string, string>): Promise<Gateway>;
  rootToken(): Promise<string>;
  tenant(): Promise<TenantFixture>;
  close(): Promise<void>;
}

/**
 * The real auth service (and ingest and alerting, when asked) as processes on their own database and NATS
 * namespace, and the gateway in process in front of them, wired exactly as main.ts wires it.
 */
export async function startPlatform(
  input: { ingest?: boolean; alerting?: boolean; env?: Record<string, string> } = {},
): Promise<Platform> {
  const database: TestDatabase = await createTestDatabase();
  // Alerting shares nothing with the others but NATS, so it gets a database of its own.
  const alertingDatabase = input.alerting ? await createTestDatabase() : undefined;
  const nats = await createNatsNamespace();
  const env = {
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: nats.namespace,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
  };
  const gateways: Gateway[] = [];
  const processes: ServiceProcess[] = [];
  const auth = await startAuthProcess(env);
  processes.push(auth);
  const ingest = input.ingest
    ? await startServiceProcess({ service: 'ingest', portVariable: 'INGEST_PORT', env })
    : undefined;
  if (ingest) processes.push(ingest);
  const alerting = alertingDatabase
    ? await startAlertingProcess({ ...env, DATABASE_URL: alertingDatabase.url })
    : undefined;
  if (alerting) processes.push(alerting);
  for (const child of processes) await expectReady(child);

  const startGateway = async (extra: Record<string, string> = {}) => {
    const gateway = await startInProcessGateway({
      ...env,
      LOG_LEVEL: 'silent',
      GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      ...input.env,
      ...extra,
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await startGateway();

  let root: Promise<string> | undefined;
  const rootToken = () => {
    root ??= expectEventually(
      async () => {
        const answer = await gateway.call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
          body: ROOT,
        });
        expect(answer.status, answer.text).toBe(200);
        return answer.body.accessToken;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    return root;
  };

  return {
    nats,
    auth,
    ingest,
    alerting,
    gateway,
    startGateway,
    rootToken,
    tenant: async () => createTenant(gateway, await rootToken()),
    async close() {
      await Promise.all(gateways.map((each) => each.close()));
      await Promise.all(processes.map((child) => child.stop()));
      await nats.cleanup();
      await database.drop();
      await alertingDatabase?.drop();
    },
  };
}

/** services/auth as built, with the platform's root owner bootstrapped. */
export function startAuthProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startServiceProcess({
    service: 'auth',
    portVariable: 'AUTH_PORT',
    env: {
      ...env,
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
    },
  });
}

/** services/alerting as built; tests' webhook receivers are on loopback, so private targets are allowed. */
export function startAlertingProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startServiceProcess({
    service: 'alerting',
    portVariable: 'ALERTING_PORT',
    env: {
      ...env,
      ALERTING_SECRET_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
    },
  });
}

export async function expectReady(child: ServiceProcess): Promise<void> {
  await expectEventually(
    async () => expect((await getJson(`${child.url}/ready`)).status, child.output().slice(-2000)).toBe(200),
    { timeoutMs: 45_000, intervalMs: 200 },
  );
}

async function startInProcessGateway(env: Record<string, string>): Promise<Gateway> {
  const config = loadConfig(GatewayEnv, env);
  const clock = new MovableClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, '0.0.0-test')] })
    .overrideProvider(GATEWAY_CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(gatewayAdapter(config), {
    logger: false,
  });
  configureGatewayApplication(app, config, '0.0.0-test');
  await app.listen(0, '127.0.0.1');
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    clock,
    call: (method, path, options) => call(url, method, path, options),
    close: () => app.close(),
  };
}

/** node:http rather than fetch: paths such as `/a/../b` go out exactly as written. */
export function call<T>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const request = httpRequest({ hostname, port, path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = undefined;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const item of Array.isArray(value) ? value : [value ?? '']) responseHeaders.append(name, item);
        }
        resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body: body as T, text });
      });
    });
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

async function createTenant(gateway: Gateway, rootToken: string): Promise<TenantFixture> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const created = await gateway.call<{ tenant: { id: string }; invitation: { token: string } }>(
    'POST',
    '/api/v1/tenants',
    { token: rootToken, body: { slug, name: `Tenant ${slug}` } },
  );
  expect(created.status, created.text).toBe(201);
  const email = `owner-${slug}@example.com`;
  const accepted = await gateway.call('POST', '/api/v1/auth/invitations/accept', {
    body: { token: created.body.invitation.token, email, password: PASSWORD },
  });
  expect(accepted.status, accepted.text).toBe(200);
  const owner = await signIn(gateway, email);
  return {
    id: created.body.tenant.id,
    slug,
    owner: { email, ...owner },
    async user(role) {
      const userEmail = `${role}-${randomUUID().slice(0, 8)}@example.com`;
      const made = await gateway.call('POST', '/api/v1/users', {
        token: owner.accessToken,
        body: { email: userEmail, role, password: PASSWORD },
      });
      expect(made.status, made.text).toBe(201);
      return { email: userEmail, accessToken: (await signIn(gateway, userEmail)).accessToken };
    },
  };
}

export async function signIn(
  gateway: Gateway,
  email: string,
  password = PASSWORD,
): Promise<{ accessToken: string; refreshToken: string }> {
  const answer = await gateway.call<{ accessToken: string; refreshToken: string }>(
    'POST',
    '/api/v1/auth/login',
    {
      body: { email, password },
    },
  );
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}
